package io.kjps.socket.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.osgi.framework.Bundle;

/**
 * The content of the last revision of each bundle that was confirmed good (its plugins were served), kept as a jar in
 * the socket bundle's data area, so that a failed update ({@link UpdateGuard}) or a deploy file that is no longer a
 * bundle ({@link DeployGuard}) can put that revision back.
 *
 * <p>The jar is written from the bundle's own entries while that revision is current, not copied from the file it
 * came from: the file may already have been replaced, and a bundle installed from the shell has no file to copy.
 * Entries are keyed by bundle location, which an update keeps.
 */
final class LastGoodRevisions {
    private static final System.Logger LOG = System.getLogger(LastGoodRevisions.class.getName());
    private static final String MANIFEST = "META-INF/MANIFEST.MF";

    /**
     * A kept revision.
     *
     * @param jar          its content
     * @param lastModified the bundle's {@link Bundle#getLastModified()} when it was kept, which identifies the revision
     * @param description  bundle id, symbolic name and version of that revision, for log lines
     */
    record Kept(Path jar, long lastModified, String description) {
    }

    private final Path dir;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    /** @param dir where the jars are written (created when needed) */
    LastGoodRevisions(Path dir) {
        this.dir = dir;
    }

    /**
     * Keeps the bundle's current revision as its last good one, unless that revision is kept already.
     *
     * @param bundle a bundle whose current revision is good
     * @return whether the revision is kept now (false when the bundle changed while it was read, or on an I/O error,
     *     which is logged)
     */
    boolean keep(Bundle bundle) {
        String location = bundle.getLocation();
        long revision = bundle.getLastModified();
        Kept current = kept.get(location);
        if (current != null && current.lastModified() == revision) {
            return true;
        }
        String description = BundlePlugins.describe(bundle);
        try {
            Files.createDirectories(dir);
            Path jar = dir.resolve(bundle.getBundleId() + "-" + revision + ".jar");
            Path tmp = dir.resolve(bundle.getBundleId() + "-" + revision + ".jar.tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writeEntries(bundle, out);
            }
            if (bundle.getLastModified() != revision || bundle.getState() == Bundle.UNINSTALLED) {
                Files.deleteIfExists(tmp);
                return false; // updated while it was read: the content may mix two revisions
            }
            Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Kept before = kept.put(location, new Kept(jar, revision, description));
            if (before != null && !before.jar().equals(jar)) {
                Files.deleteIfExists(before.jar());
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot keep a copy of " + description
                    + " to put back if a later update fails: " + e);
            return false;
        }
    }

    /**
     * @param location a bundle location
     * @return its last good revision, or {@code null}
     */
    Kept get(String location) {
        return kept.get(location);
    }

    /**
     * Forgets a bundle's last good revision and deletes its jar.
     *
     * @param location a bundle location
     */
    void forget(String location) {
        Kept k = kept.remove(location);
        if (k != null) {
            try {
                Files.deleteIfExists(k.jar());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot delete " + k.jar() + ": " + e);
            }
        }
    }

    /** Writes the bundle's own entries (not its fragments') as a jar, the manifest first. */
    static void writeEntries(Bundle bundle, OutputStream out) throws IOException {
        List<String> paths = new ArrayList<>();
        Deque<String> folders = new ArrayDeque<>(List.of("/"));
        while (!folders.isEmpty()) {
            Enumeration<String> e = bundle.getEntryPaths(folders.pop());
            while (e != null && e.hasMoreElements()) {
                String path = e.nextElement();
                if (path.endsWith("/")) {
                    folders.push(path);
                }
                paths.add(path);
            }
        }
        paths.sort((a, b) -> a.equals(MANIFEST) ? -1 : b.equals(MANIFEST) ? 1 : a.compareTo(b));
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String path : paths) {
                zip.putNextEntry(new ZipEntry(path));
                if (!path.endsWith("/")) {
                    URL url = bundle.getEntry(path);
                    if (url == null) {
                        throw new IOException("entry " + path + " vanished while it was read");
                    }
                    try (InputStream in = url.openStream()) {
                        in.transferTo(zip);
                    }
                }
                zip.closeEntry();
            }
        }
    }
}
