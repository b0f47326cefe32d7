package io.kjps.emulator.internal;

import io.kjps.emulator.MsgDecoder;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One unix-socket connection from "Kong" to the plugin server: non-blocking channel plus its own selector, so every
 * read and write has a deadline (the JDK has no socket timeouts for unix channels). Used by one thread at a time
 * (the pool hands it out exclusively).
 *
 * <p>In blocking mode (benchmarks) the channel blocks and there is no selector: one {@code read} system call per
 * message instead of {@code read}, {@code epoll_wait}, {@code read}, and no deadline: whoever needs one closes the
 * connection from another thread, which ends a blocked read.
 */
public final class KongConnection implements AutoCloseable {
    private final int serial;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final MsgDecoder decoder = new MsgDecoder();
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    private final ByteBuffer readBuf = ByteBuffer.allocate(64 * 1024);
    private boolean closed;

    private KongConnection(int serial, SocketChannel channel, Selector selector, SelectionKey key) {
        // selector and key are null in blocking mode
        this.serial = serial;
        this.channel = channel;
        this.selector = selector;
        this.key = key;
    }

    /**
     * @param socket the server's socket file
     * @param serial a number for messages and tests (1, 2, ... in order of connect)
     * @return a connected connection
     * @throws IOException when the connect fails (no file, refused)
     */
    public static KongConnection open(Path socket, int serial) throws IOException {
        return open(socket, serial, false);
    }

    /**
     * @param socket   the server's socket file
     * @param serial   a number for messages and tests (1, 2, ... in order of connect)
     * @param blocking blocking I/O without deadlines (see the class comment)
     * @return a connected connection
     * @throws IOException when the connect fails (no file, refused)
     */
    public static KongConnection open(Path socket, int serial, boolean blocking) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            if (blocking) {
                return new KongConnection(serial, ch, null, null);
            }
            ch.configureBlocking(false);
            Selector sel = Selector.open();
            try {
                SelectionKey k = ch.register(sel, SelectionKey.OP_READ);
                return new KongConnection(serial, ch, sel, k);
            } catch (IOException | RuntimeException e) {
                sel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** @return this connection's number (1, 2, ... per pool, in order of connect) */
    public int serial() {
        return serial;
    }

    /**
     * Writes all bytes.
     *
     * @param data          the bytes
     * @param timeoutMillis how long one stalled write may wait
     * @throws IOException on failure or timeout
     */
    public void write(byte[] data, long timeoutMillis) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(data);
        while (bb.hasRemaining()) {
            if (channel.write(bb) == 0) {
                await(SelectionKey.OP_WRITE, timeoutMillis, "send");
            }
        }
    }

    /**
     * Reads the next complete value.
     *
     * @param timeoutMillis how long to wait without receiving anything
     * @return the value
     * @throws IOException on EOF, failure or timeout
     */
    public Object read(long timeoutMillis) throws IOException {
        while (ready.isEmpty()) {
            readBuf.clear();
            int n = channel.read(readBuf);
            if (n < 0) {
                throw new EOFException("connection " + serial + " closed by the server"
                        + (decoder.pending() > 0 ? " in the middle of a value (" + decoder.pending() + " bytes)" : ""));
            }
            if (n == 0) {
                await(SelectionKey.OP_READ, timeoutMillis, "read");
                continue;
            }
            readBuf.flip();
            List<Object> vs = decoder.feed(readBuf);
            ready.addAll(vs);
        }
        return ready.poll();
    }

    /** @return whether bytes or values were received beyond what has been read */
    public boolean hasUnreadData() {
        return !ready.isEmpty() || decoder.pending() > 0;
    }

    /**
     * Checks an idle connection without waiting, as OpenResty's pool does: EOF or unsolicited bytes mean the
     * connection cannot be reused.
     *
     * @return true when the connection is still usable
     */
    public boolean probeIdle() {
        if (closed || hasUnreadData()) {
            return false;
        }
        if (selector == null) {
            return channel.isOpen(); // blocking: no read without waiting
        }
        try {
            readBuf.clear();
            return channel.read(readBuf) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private void await(int op, long timeoutMillis, String what) throws IOException {
        if (selector == null) {
            throw new IOException(what + ": a blocking channel returned 0 bytes on connection " + serial);
        }
        key.interestOps(op);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new IOException(what + " timed out after " + timeoutMillis + " ms on connection " + serial);
            }
            if (selector.select(left) > 0) {
                selector.selectedKeys().clear();
                return;
            }
        }
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    /** Closes the channel and its selector; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (selector != null) {
                selector.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "KongConnection#" + serial;
    }
}
