package io.kjps.emulator;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * A tiny plugin-server stand-in for tests: JDK unix socket, one thread per connection, requests answered in order by
 * a {@link Handler}. Records every request with its connection number and raw bytes.
 */
final class TestServer implements AutoCloseable {

    /** Answers one request: the byte chunks to write (several values, nothing, or garbage); null: hang up. */
    @FunctionalInterface
    interface Handler {
        List<byte[]> answer(Received request) throws Exception;
    }

    /** One request as received. */
    record Received(int conn, List<?> msg, byte[] raw) {
        String method() {
            return (String) msg.get(2);
        }

        long msgid() {
            return (Long) msg.get(1);
        }

        Object param() {
            return ((List<?>) msg.get(3)).get(0);
        }
    }

    private final ServerSocketChannel server;
    private final Handler handler;
    private final IntFunction<byte[]> greeting;
    private final Thread acceptor;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    TestServer(Path socket, Handler handler) throws IOException {
        this(socket, handler, conn -> null);
    }

    /**
     * @param greeting bytes written right after accept (e.g. a serverPid notification), given the connection number
     */
    TestServer(Path socket, Handler handler, IntFunction<byte[]> greeting) throws IOException {
        Files.deleteIfExists(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        this.handler = handler;
        this.greeting = greeting;
        this.acceptor = new Thread(this::acceptLoop, "test-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int accepted() {
        return accepted.get();
    }

    List<String> methods() {
        return received.stream().map(Received::method).toList();
    }

    /** Takes the next request, failing after a deadline. */
    Received next() throws InterruptedException {
        Received r = queue.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request within 10 s");
        }
        return r;
    }

    /** Closes every accepted connection from the server side (a dying server); the peer sees EOF at once. */
    void closeConnections() throws IOException {
        for (SocketChannel c : open) {
            hangUp(c);
        }
        open.clear();
    }

    /**
     * shutdown() first: a plain close() of a channel another thread is reading is deferred by the JDK until that
     * read returns, so the peer would not see the EOF yet.
     */
    private static void hangUp(SocketChannel c) throws IOException {
        try {
            c.shutdownOutput();
            c.shutdownInput();
        } catch (IOException e) {
            // already gone
        }
        c.close();
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel c = server.accept();
                int n = accepted.incrementAndGet();
                open.add(c);
                Thread t = new Thread(() -> serve(c, n), "test-server-conn-" + n);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(SocketChannel c, int conn) {
        try (c) {
            byte[] hello = greeting.apply(conn);
            if (hello != null) {
                write(c, hello);
            }
            ByteBuffer in = ByteBuffer.allocate(65536);
            byte[] acc = new byte[0];
            while (true) {
                in.clear();
                int n = c.read(in);
                if (n < 0) {
                    return;
                }
                acc = Arrays.copyOf(acc, acc.length + n);
                System.arraycopy(in.array(), 0, acc, acc.length - n, n);
                while (true) {
                    int len = valueLength(acc);
                    if (len < 0) {
                        break;
                    }
                    byte[] raw = Arrays.copyOf(acc, len);
                    acc = Arrays.copyOfRange(acc, len, acc.length);
                    Received r = new Received(conn, (List<?>) MsgDecoder.decode(raw), raw);
                    received.add(r);
                    queue.add(r);
                    List<byte[]> answer = handler.answer(r);
                    if (answer == null) {
                        hangUp(c);
                        return;
                    }
                    for (byte[] out : answer) {
                        write(c, out);
                    }
                }
            }
        } catch (IOException e) {
            // connection closed
        } catch (Throwable t) {
            failures.add(t);
        }
    }

    private static int valueLength(byte[] b) throws IOException {
        if (b.length == 0) {
            return -1;
        }
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(b)) {
            u.skipValue();
            return (int) u.getTotalReadBytes();
        } catch (MessageInsufficientBufferException e) {
            return -1;
        }
    }

    private static void write(SocketChannel c, byte[] b) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) {
            c.write(bb);
        }
    }

    /** A response {@code [1, msgid, error, result]} packed (with Kong's packer: fine for a server too). */
    static byte[] response(long msgid, Object error, Object result) {
        return KongPacker.pack(Arrays.asList(1, msgid, error, result));
    }

    static List<byte[]> answer(long msgid, Object result) {
        return List.of(response(msgid, null, result));
    }

    static byte[] serverPid(long pid) {
        return KongPacker.pack(List.of(2, "serverPid", pid));
    }

    @Override
    public void close() throws Exception {
        server.close();
        closeConnections();
        acceptor.join(5000);
        for (Thread t : threads) {
            t.join(5000);
        }
        List<Throwable> f = new ArrayList<>(failures);
        if (!f.isEmpty()) {
            AssertionError e = new AssertionError("test server failed: " + f.get(0), f.get(0));
            throw e;
        }
    }
}
