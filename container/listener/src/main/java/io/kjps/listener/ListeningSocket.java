package io.kjps.listener;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The unix socket Kong connects to, and its file's life (protocol.md §3.6): a stale file left by a dead server is
 * removed before binding; a file a live server still accepts on is waited for (during {@code kong reload} the old
 * server stops while the new one starts) and, if it stays live, refused rather than stolen; the file gets its mode
 * and group once bound, and it is never removed at exit, because a newer server may own the path by then.
 *
 * <p>Its settings are framework (or system) properties, defined here only:
 * <ul>
 *   <li>{@value #PATH}: the socket path (required);</li>
 *   <li>{@value #MODE}: the file mode, default {@value #DEFAULT_MODE};</li>
 *   <li>{@value #GROUP}: the group given to the file (chgrp), default unset: the server's group;</li>
 *   <li>{@value #TAKEOVER}: how long to wait for a live server on the same path to stop before refusing, default
 *       5000.</li>
 * </ul>
 *
 * @param path           the socket path, absolute
 * @param mode           the file mode, for example {@code rw-rw----}
 * @param group          a group name, or {@code null} to keep the server's group
 * @param takeoverMillis how long to wait for a live server on the path to go away
 */
public record ListeningSocket(Path path, String mode, String group, long takeoverMillis) {
    public static final String PATH = "kjps.socket";
    public static final String MODE = "kjps.socket.mode";
    public static final String GROUP = "kjps.socket.group";
    public static final String TAKEOVER = "kjps.socket.takeover.ms";
    public static final String DEFAULT_MODE = "rw-rw----";
    /** Kong opens bursts of connections: room for them while nobody accepts (a start, a restart). */
    public static final int BACKLOG = 4096;
    private static final System.Logger LOG = System.getLogger(ListeningSocket.class.getName());

    /**
     * @param property reads a property, {@code null} when unset
     * @return the settings
     * @throws IllegalArgumentException for a missing path or a malformed number, naming the property
     */
    public static ListeningSocket from(Function<String, String> property) {
        String socket = property.apply(PATH);
        if (socket == null || socket.isBlank()) {
            throw new IllegalArgumentException("framework property " + PATH + " (the socket path) is not set");
        }
        String mode = property.apply(MODE);
        String group = property.apply(GROUP);
        String takeover = property.apply(TAKEOVER);
        long takeoverMillis = 5_000;
        if (takeover != null && !takeover.isBlank()) {
            try {
                takeoverMillis = Long.parseLong(takeover.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("framework property " + TAKEOVER + " must be a whole number, got "
                        + takeover);
            }
        }
        return new ListeningSocket(Path.of(socket).toAbsolutePath(), mode == null ? DEFAULT_MODE : mode,
                group == null || group.isBlank() ? null : group.trim(), takeoverMillis);
    }

    /**
     * Makes the path free (see the class comment), binds it and sets the file's mode and group.
     *
     * @return the listening channel, blocking
     * @throws IOException when a live server keeps the path, or binding, the mode or the group fails
     */
    public ServerSocketChannel open() throws IOException {
        prepare();
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path), BACKLOG);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
            if (group != null) {
                GroupPrincipal principal = path.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByGroupName(group);
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setGroup(principal);
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IOException("cannot set mode " + mode + " or group " + group + " on " + path + ": " + e, e);
        }
        return server;
    }

    private void prepare() throws IOException {
        Files.createDirectories(path.getParent());
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(takeoverMillis);
        boolean announced = false;
        while (isLive(path)) {
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
     * @param path a socket file
     * @return whether a process accepts connections on it now
     */
    public static boolean isLive(Path path) {
        try (SocketChannel s = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
