package io.kjps.launcher.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-process Felix cache directory {@code <cache-dir>/kong-java-pluginserver-<pid>}.
 *
 * <p>One directory per process because two servers run side by side during {@code kong reload} (protocol.md §3.5), each
 * with its own framework. The directory is deleted when the server exits; at start, directories left behind by
 * servers that died without cleaning up (SIGKILL, which is how Kong 2.x ends them) are deleted too: only those whose
 * pid is no longer alive, never a live server's.
 */
public final class CacheDirectory {

    /** Name prefix of every cache directory; the pid follows. */
    public static final String PREFIX = "kong-java-pluginserver-";

    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "([0-9]{1,18})");
    private static final Logger LOG = Logger.getLogger(CacheDirectory.class.getName());

    private CacheDirectory() {
    }

    /** The cache directory of process {@code pid} under {@code root}. */
    public static Path of(Path root, long pid) {
        return root.resolve(PREFIX + pid);
    }

    /** Whether process {@code pid} exists. */
    public static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Deletes the cache directories under {@code root} whose process is gone. Entries that are not directories, or
     * whose name is not {@code kong-java-pluginserver-<pid>}, are left alone, as is {@code ownPid}'s.
     *
     * @param root   the cache root ({@code -cache-dir})
     * @param ownPid this process
     * @param alive  tells whether a pid is a live process
     * @return the directories deleted
     */
    public static List<Path> deleteStale(Path root, long ownPid, LongPredicate alive) {
        List<Path> deleted = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, PREFIX + "*")) {
            for (Path entry : entries) {
                Matcher matcher = NAME.matcher(entry.getFileName().toString());
                if (!matcher.matches() || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long pid = Long.parseLong(matcher.group(1));
                if (pid == ownPid || alive.test(pid)) {
                    continue;
                }
                try {
                    deleteRecursively(entry);
                    deleted.add(entry);
                    LOG.fine(() -> "deleted stale cache directory " + entry);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot delete stale cache directory " + entry + ": " + e);
                }
            }
        } catch (NoSuchFileException e) {
            // no cache root yet: nothing is stale
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list cache root " + root + ": " + e);
        }
        return deleted;
    }

    /** Deletes {@code dir} and everything below it; symbolic links are deleted, never followed. Absent: no-op. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
