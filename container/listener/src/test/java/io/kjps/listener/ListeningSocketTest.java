package io.kjps.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListeningSocketTest {
    @TempDir
    Path dir;

    private ListeningSocket at(Path path, long takeoverMillis) {
        return ListeningSocket.from(Map.of(ListeningSocket.PATH, path.toString(), ListeningSocket.MODE, "rw-------",
                ListeningSocket.TAKEOVER, Long.toString(takeoverMillis))::get);
    }

    @Test
    void settingsHaveDefaultsAndPreciseErrors() {
        ListeningSocket s = ListeningSocket.from(Map.of(ListeningSocket.PATH, "/k/s.sock")::get);
        assertEquals(Path.of("/k/s.sock"), s.path());
        assertEquals(ListeningSocket.DEFAULT_MODE, s.mode());
        assertNull(s.group());
        assertEquals(5_000, s.takeoverMillis());
        assertEquals("kong", ListeningSocket.from(Map.of(ListeningSocket.PATH, "/k/s.sock",
                ListeningSocket.GROUP, " kong ")::get).group());
        assertEquals("framework property kjps.socket (the socket path) is not set",
                assertThrows(IllegalArgumentException.class, () -> ListeningSocket.from(Map.<String, String>of()::get))
                        .getMessage());
        assertEquals("framework property kjps.socket.takeover.ms must be a whole number, got soon",
                assertThrows(IllegalArgumentException.class, () -> ListeningSocket.from(Map.of(ListeningSocket.PATH,
                        "/k/s.sock", ListeningSocket.TAKEOVER, "soon")::get)).getMessage());
    }

    @Test
    void bindsWithItsModeAndReplacesAStaleFile() throws IOException {
        Path path = dir.resolve("sub/s.sock");
        try (ServerSocketChannel first = at(path, 100).open()) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            assertTrue(ListeningSocket.isLive(path));
        }
        assertTrue(Files.exists(path), "closing leaves the file");
        assertFalse(ListeningSocket.isLive(path), "nobody listens behind a stale file");
        try (ServerSocketChannel second = at(path, 100).open();
             SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
             SocketChannel accepted = second.accept()) {
            assertTrue(accepted.isConnected());
        }
    }

    @Test
    void aLiveServerIsWaitedForThenRefused() throws IOException {
        Path path = dir.resolve("s.sock");
        try (ServerSocketChannel live = at(path, 100).open()) {
            IOException e = assertThrows(IOException.class, () -> at(path, 150).open());
            assertEquals("another server is listening on " + path + " and did not stop within 150 ms; refusing to"
                    + " take its socket (stop it, or use -socket with another path)", e.getMessage());
            assertTrue(ListeningSocket.isLive(path), "the live server keeps its socket");
        }
    }
}
