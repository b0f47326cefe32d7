package io.kjps.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsUnixEndpointTest {
    @TempDir
    Path dir;

    private static String exchange(Path socket, String request) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
            ByteBuffer in = ByteBuffer.allocate(65_536);
            while (c.read(in) >= 0) {
                if (!in.hasRemaining()) {
                    throw new AssertionError("answer too long");
                }
            }
            return new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void getMetricsAnswersThePrometheusTextFormatOnAnOwnerOnlySocket() throws Exception {
        Path socket = dir.resolve("metrics.sock");
        AtomicInteger scrapes = new AtomicInteger();
        try (MetricsUnixEndpoint e = MetricsUnixEndpoint.start(socket,
                () -> ("# TYPE x counter\nx_total " + scrapes.incrementAndGet() + ".0\n").getBytes(StandardCharsets.UTF_8))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            String body = "# TYPE x counter\nx_total 1.0\n";
            assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body,
                    exchange(socket, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n"));
            assertTrue(exchange(socket, "HEAD /metrics HTTP/1.1\r\n\r\n").endsWith("Connection: close\r\n\r\n"));
            assertTrue(exchange(socket, "GET / HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404 Not Found\r\n"));
            assertTrue(exchange(socket, "POST /metrics HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 405 "));
            assertTrue(exchange(socket, "hello\r\n\r\n").startsWith("HTTP/1.1 400 "));
            assertEquals(2, scrapes.get(), "one scrape per GET and HEAD of /metrics, none for the others");
        }
        assertFalse(Files.exists(socket), "close removes the socket file");
    }

    @Test
    void aStaleSocketFileIsReplacedAndALiveOneOrAPlainFileIsNot() throws Exception {
        Path socket = dir.resolve("m.sock");
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(socket));
            assertEquals("another server listens on " + socket, assertThrows(IOException.class,
                    () -> MetricsUnixEndpoint.start(socket, () -> new byte[0])).getMessage());
        }
        assertTrue(Files.exists(socket), "a closed server channel leaves its file");
        try (MetricsUnixEndpoint e = MetricsUnixEndpoint.start(socket, () -> "x 1.0\n".getBytes(StandardCharsets.UTF_8))) {
            assertTrue(exchange(socket, "GET /metrics HTTP/1.0\r\n\r\n").endsWith("\r\n\r\nx 1.0\n"));
        }
        Path plain = Files.writeString(dir.resolve("plain"), "data");
        assertEquals(plain + " exists and is not a socket", assertThrows(IOException.class,
                () -> MetricsUnixEndpoint.start(plain, () -> new byte[0])).getMessage());
    }

    @Test
    void aClientThatSendsNothingDoesNotHoldTheEndpointForever() throws Exception {
        Path socket = dir.resolve("slow.sock");
        try (MetricsUnixEndpoint e = MetricsUnixEndpoint.start(socket, () -> "x 1.0\n".getBytes(StandardCharsets.UTF_8));
             SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            long t0 = System.nanoTime();
            String answer = exchange(socket, "GET /metrics HTTP/1.1\r\n\r\n");
            long waited = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(answer.endsWith("x 1.0\n"), answer);
            assertTrue(waited < MetricsUnixEndpoint.DEADLINE_MILLIS + 3_000, "waited " + waited + " ms");
        }
    }
}
