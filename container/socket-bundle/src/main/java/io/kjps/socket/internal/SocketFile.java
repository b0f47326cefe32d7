package io.kjps.socket.internal;

import io.kjps.socket.internal.transport.UnixSocketProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * The socket file's life (protocol.md §3.6): a stale file left by a dead server is removed before binding; a file a live
 * server still accepts on is waited for (during {@code kong reload} the old server stops while the new one starts)
 * and, if it stays live, refused rather than stolen; the file is never removed at exit, because a newer server may
 * own the path by then.
 */
final class SocketFile {
    private static final System.Logger LOG = System.getLogger(SocketFile.class.getName());

    private SocketFile() {
    }

    /**
     * Makes the path free for binding.
     *
     * @param provider probes whether a server is live on the path
     * @param path the socket path
     * @param takeoverMillis how long to wait for a live server to go away
     * @throws IOException when a live server keeps the path, or the stale file cannot be removed
     */
    static void prepare(UnixSocketProvider provider, Path path, long takeoverMillis) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(takeoverMillis);
        boolean announced = false;
        while (provider.isLive(path)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("another server is listening on " + path + " and did not stop within "
                        + takeoverMillis + " ms; refusing to take its socket (stop it, or use -socket with another path)");
            }
            if (!announced) {
                LOG.log(System.Logger.Level.INFO, "a server is still listening on " + path
                        + "; waiting for it to stop (kong reload overlap)");
                announced = true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + path + " to be released", e);
            }
        }
        Files.deleteIfExists(path);
        LOG.log(System.Logger.Level.INFO, "removed stale socket file " + path);
    }

    /**
     * @param path the bound socket
     * @param mode the permissions, for example {@code rw-rw----}
     * @throws IOException when they cannot be set
     */
    static void restrict(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    /**
     * Gives the socket file to a group, so that Kong's user can connect through the group bits of the mode.
     *
     * @param path the bound socket
     * @param group a group name, or {@code null} to keep the server's group
     * @throws IOException when the group does not exist or cannot be set (the server must be a member)
     */
    static void chgrp(Path path, String group) throws IOException {
        if (group == null) {
            return;
        }
        GroupPrincipal principal = path.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByGroupName(group);
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(principal);
    }
}
