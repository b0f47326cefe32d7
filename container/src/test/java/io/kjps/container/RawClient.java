package io.kjps.container;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * A raw connection to the server's socket that sends arbitrary bytes, for the bad-input tests: no pool, no
 * protocol checks. Every read has a deadline (a read that misses it closes the connection).
 */
final class RawClient implements AutoCloseable {
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-client-reader");
        t.setDaemon(true);
        return t;
    });

    private final SocketChannel channel;
    private final InputStream in;
    private final MessageUnpacker unpacker;

    private RawClient(SocketChannel channel) {
        this.channel = channel;
        this.in = Channels.newInputStream(channel);
        this.unpacker = MessagePack.newDefaultUnpacker(in);
    }

    /**
     * Connects and reads the {@code serverPid} notification.
     *
     * @param socket the server's socket
     * @return the client
     */
    static RawClient connect(Path socket) throws IOException {
        RawClient c = connectQuietly(socket);
        Value first = c.read();
        if (!first.isArrayValue() || first.asArrayValue().size() != 3
                || !first.asArrayValue().get(1).toString().equals("serverPid")) {
            c.close();
            throw new AssertionError("expected [2, \"serverPid\", pid] first, got " + first);
        }
        return c;
    }

    /**
     * Connects without reading anything.
     *
     * @param socket the server's socket
     * @return the client
     */
    static RawClient connectQuietly(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new RawClient(ch);
    }

    /** @param bytes sent as they are */
    void send(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** Closes the sending side only: the server sees EOF. */
    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /** @return the next msgpack value from the server, within {@link #READ_TIMEOUT} */
    Value read() throws IOException {
        Future<Value> f = READERS.submit((java.util.concurrent.Callable<Value>) unpacker::unpackValue);
        try {
            return f.get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw new AssertionError("the server sent nothing within " + READ_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof org.msgpack.core.MessageInsufficientBufferException) {
                throw new EOFException("end of stream");
            }
            throw new IOException(e.getCause());
        }
    }

    /**
     * @return the next msgpack value, read on the calling thread without a deadline (callers bound the whole test
     *         with {@code @Timeout(threadMode = SEPARATE_THREAD)})
     */
    Value readBlocking() throws IOException {
        return unpacker.unpackValue();
    }

    /**
     * Sends one request and reads its response.
     *
     * @return the response {@code [1, msgid, error, result]}
     */
    Value call(long msgid, String method, Object param) throws IOException {
        send(request(msgid, method, param));
        return read();
    }

    /**
     * Waits until the server closes the connection, failing when it sends anything instead.
     *
     * @param timeout how long to wait
     */
    void assertClosedByServer(Duration timeout) throws IOException {
        Future<Integer> f = READERS.submit(() -> in.read());
        try {
            int b = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (b != -1) {
                throw new AssertionError("expected the server to close the connection, got byte " + b);
            }
        } catch (TimeoutException e) {
            close();
            throw new AssertionError("the server did not close the connection within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof IOException)) { // a reset is a close too
                throw new AssertionError(e.getCause());
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** @return {@code [0, msgid, method, [param]]} packed; param may be a byte[] of pre-packed msgpack */
    static byte[] request(long msgid, Object method, Object param) throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packArrayHeader(4).packInt(0).packLong(msgid);
        pack(p, method);
        p.packArrayHeader(1);
        pack(p, param);
        return p.toByteArray();
    }

    /** Packs simple values: null, String, Long/Integer, Boolean, Double, java.util.Map, java.util.List, Raw. */
    static void pack(MessageBufferPacker p, Object v) throws IOException {
        if (v == null) {
            p.packNil();
        } else if (v instanceof String s) {
            p.packString(s);
        } else if (v instanceof Long || v instanceof Integer) {
            p.packLong(((Number) v).longValue());
        } else if (v instanceof Double d) {
            p.packDouble(d);
        } else if (v instanceof Boolean b) {
            p.packBoolean(b);
        } else if (v instanceof java.util.Map<?, ?> m) {
            p.packMapHeader(m.size());
            for (var e : m.entrySet()) {
                pack(p, e.getKey());
                pack(p, e.getValue());
            }
        } else if (v instanceof java.util.List<?> l) {
            p.packArrayHeader(l.size());
            for (Object o : l) {
                pack(p, o);
            }
        } else if (v instanceof Raw r) {
            p.writePayload(r.bytes());
        } else {
            throw new IllegalArgumentException("cannot pack " + v.getClass());
        }
    }

    /** Pre-packed msgpack bytes, inserted as they are. */
    record Raw(byte[] bytes) {
        @Override
        public String toString() {
            return Arrays.toString(bytes);
        }
    }

    /** @return the error string of a response, or null */
    static String error(Value response) {
        Value e = response.asArrayValue().get(2);
        return e.isNilValue() ? null : e.asStringValue().asString();
    }
}
