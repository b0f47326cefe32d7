package io.kjps.socket.internal;

import io.kjps.listener.ListeningSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} over a unix socket ({@code kjps.metrics.http=/path/to/metrics.sock}): a minimal HTTP/1.1
 * responder on the JDK's unix-domain channels, for an agent on the same host ({@code curl --unix-socket}, a collector
 * that scrapes unix sockets, or a proxy). The JDK's HTTP server binds TCP only, hence this. The file is owner-only
 * ({@code rw-------}): file permissions are the access control, as for the admin shell's socket.
 *
 * <p>One thread accepts and answers, one request per connection ({@code Connection: close}); a client gets
 * {@value #DEADLINE_MILLIS} ms to send its request head (at most {@value #MAX_HEAD} bytes) and to read the answer,
 * so a stuck client cannot hold the endpoint. {@code GET} and {@code HEAD} of {@code /metrics} are answered with the
 * Prometheus text format; other paths get 404, other methods 405.
 */
final class MetricsUnixEndpoint implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MetricsUnixEndpoint.class.getName());
    static final long DEADLINE_MILLIS = 5_000;
    static final int MAX_HEAD = 8_192;
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Path path;
    private final Supplier<byte[]> metrics;
    private final ServerSocketChannel server;
    private final Thread thread;
    private volatile boolean closed;

    private MetricsUnixEndpoint(Path path, Supplier<byte[]> metrics, ServerSocketChannel server) {
        this.path = path;
        this.metrics = metrics;
        this.server = server;
        this.thread = new Thread(this::serve, "kjps-metrics-unix");
        this.thread.setDaemon(true);
    }

    /**
     * Binds the socket (replacing a stale file no server listens on) and starts answering.
     *
     * @param path the socket file
     * @param metrics the body of a scrape
     * @return the running endpoint
     * @throws IOException when the path cannot be bound: a live server is on it, or a file that is not a socket
     */
    static MetricsUnixEndpoint start(Path path, Supplier<byte[]> metrics) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !isSocket(path)) {
            throw new IOException(path + " exists and is not a socket");
        }
        if (ListeningSocket.isLive(path)) {
            throw new IOException("another server listens on " + path);
        }
        // a stale socket file is replaced, a live server's is refused at once, the file is the owner's only
        ServerSocketChannel server = new ListeningSocket(path.toAbsolutePath(), "rw-------", null, 0).open();
        server.configureBlocking(true);
        MetricsUnixEndpoint endpoint = new MetricsUnixEndpoint(path, metrics, server);
        endpoint.thread.start();
        return endpoint;
    }

    private static boolean isSocket(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & 0170000) == 0140000; // S_IFSOCK
    }

    private void serve() {
        while (!closed) {
            try (SocketChannel c = server.accept()) {
                answer(c);
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "metrics scrape on " + path + " failed: " + e);
                }
            }
        }
    }

    private void answer(SocketChannel c) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
        c.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            SelectionKey key = c.register(selector, SelectionKey.OP_READ);
            String head = readHead(c, selector, deadline);
            if (head == null) {
                return; // closed early, too long or too slow: nothing to answer
            }
            String[] request = head.substring(0, Math.max(0, head.indexOf("\r\n"))).split(" ");
            ByteBuffer out;
            if (request.length != 3 || !request[2].startsWith("HTTP/1.")) {
                out = response(400, "Bad Request", "text/plain", "not an HTTP/1.x request\n".getBytes(
                        StandardCharsets.UTF_8), true);
            } else if (!request[0].equals("GET") && !request[0].equals("HEAD")) {
                out = response(405, "Method Not Allowed", "text/plain",
                        "only GET and HEAD\n".getBytes(StandardCharsets.UTF_8), true);
            } else if (!request[1].equals("/metrics") && !request[1].startsWith("/metrics?")) {
                out = response(404, "Not Found", "text/plain", "the metrics are at /metrics\n".getBytes(
                        StandardCharsets.UTF_8), !request[0].equals("HEAD"));
            } else {
                out = response(200, "OK", CONTENT_TYPE, metrics.get(), !request[0].equals("HEAD"));
            }
            key.interestOps(SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                selector.select(left);
                c.write(out);
            }
        }
    }

    /** @return the request head up to the blank line, or {@code null} when it does not come in time or in size */
    private static String readHead(SocketChannel c, Selector selector, long deadline) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(MAX_HEAD);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return null;
            }
            selector.select(left);
            selector.selectedKeys().clear();
            if (c.read(in) < 0) {
                return null;
            }
            String text = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
            if (text.contains("\r\n\r\n")) {
                return text;
            }
            if (!in.hasRemaining()) {
                return null;
            }
        }
    }

    private static ByteBuffer response(int status, String reason, String type, byte[] body, boolean withBody) {
        byte[] head = ("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(head.length + (withBody ? body.length : 0));
        b.put(head);
        if (withBody) {
            b.put(body);
        }
        return b.flip();
    }

    /** @return the socket file */
    Path path() {
        return path;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            thread.join(DEADLINE_MILLIS + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove " + path + ": " + e);
        }
    }
}
