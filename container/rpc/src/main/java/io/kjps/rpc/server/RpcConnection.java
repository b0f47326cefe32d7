package io.kjps.rpc.server;

import io.kjps.rpc.codec.ProtocolException;
import io.kjps.rpc.codec.RpcCodec;
import io.kjps.rpc.codec.RpcRequest;
import io.kjps.rpc.codec.ScratchPacker;
import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.dispatch.Event;
import io.kjps.rpc.dispatch.Link;
import io.kjps.rpc.dispatch.RpcError;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.MessageBuffer;
import org.msgpack.core.buffer.MessageBufferInput;

/**
 * One connection from Kong (docs/protocol.md §4.1, §4.2), and the one place that decides which thread does what.
 *
 * <p><b>The rule.</b> A connection is held by exactly one thread at a time, and only the holder reads it. The holder
 * reads a request, answers it, and only then reads the next one, so answers always leave in the order of the
 * requests. A {@code plugin.HandleEvent} runs the phase method right there, on the holder's thread; when the phase
 * method calls the PDK, the same thread writes the call as the answer and reads the connection for Kong's
 * {@code plugin.Step}, which Kong nearly always sends on the connection that carried the answer (its keepalive pool
 * is LIFO and its PDK functions rarely yield). So the common event, from {@code HandleEvent} to its last answer,
 * never wakes another thread: each RPC costs one wait for readability, one read and one write.
 *
 * <p><b>The rare cases</b>, each a single hand-off:
 * <ul>
 *   <li>While an event waits for its step, another request arrives on its connection (Kong's PDK function yielded
 *       and the pool lent the connection to another request): the connection, with that request, goes to a fresh
 *       thread ({@link #handOff}), and the event waits for its step wherever it comes.</li>
 *   <li>The step arrives on another connection: that connection's holder gives it to the waiting event (the
 *       event's thread becomes its holder) and stops; if the event's thread was reading its own connection, it is
 *       woken ({@link #wake}), gives that connection to a fresh thread, and goes on with the other one.</li>
 *   <li>A phase method that runs past the handler timeout: the watchdog answers for it and gives the connection
 *       to a fresh thread; the stuck thread, once the method returns, holds nothing and ends.</li>
 * </ul>
 *
 * <p>Waits are on a selector of the holding thread's own ({@link #selector()}), so that another thread can wake a
 * reader; the channel is non-blocking. Reads go through one msgpack unpacker per connection, so bytes of a next
 * request that arrive with the current one stay with the connection, whoever holds it next. A request whose shape is
 * wrong but whose bytes are valid msgpack gets an error response and the connection goes on; bytes that are not
 * msgpack, exceed the limits or end mid-message close it. Either way only this connection is affected.
 */
public final class RpcConnection implements Link, Runnable {
    private static final System.Logger LOG = System.getLogger(RpcConnection.class.getName());
    private static final ThreadLocal<Selector> SELECTORS = new ThreadLocal<>();

    private final SocketChannel channel;
    private final Dispatcher dispatcher;
    private final RpcCodec codec;
    private final Executor threads;
    private final String name;
    private final long serverPid;
    private final Runnable onClose;
    private final ChannelIn in = new ChannelIn();
    private final MessageUnpacker unpacker;
    private final MessagePacker packer;
    private final Object writeLock = new Object();

    private volatile Thread holder;

    /** The selector a holder is waiting in, for {@link #wake()}. */
    private volatile Selector waitingIn;
    private volatile boolean woken;
    /** The request being answered; one at a time by the rule above. Only its id and method: see {@link #send}. */
    private long msgid;
    private String method;
    private volatile boolean closed;
    private Selector writeSelector;

    /**
     * @param channel the accepted connection; made non-blocking here
     * @param dispatcher answers the calls
     * @param codec reads and writes messages
     * @param threads runs a connection given away to a fresh thread (a rare case, see above)
     * @param name the connection's name in logs
     * @param serverPid the pid announced with {@code serverPid}, or -1 to send no notification
     * @param onClose run once when the connection is closed, by whichever thread closes it
     * @throws IOException when the channel cannot be made non-blocking
     */
    public RpcConnection(SocketChannel channel, Dispatcher dispatcher, RpcCodec codec, Executor threads, String name,
                         long serverPid, Runnable onClose) throws IOException {
        this.channel = channel;
        this.dispatcher = dispatcher;
        this.codec = codec;
        this.threads = threads;
        this.name = name;
        this.serverPid = serverPid;
        this.onClose = onClose;
        channel.configureBlocking(false);
        this.unpacker = MessagePack.newDefaultUnpacker(in);
        this.packer = new ScratchPacker(new ChannelOut());
    }

    /** Announces the server's pid and serves the connection on the calling thread, until it closes or is given away. */
    @Override
    public void run() {
        take();
        if (serverPid >= 0) {
            try {
                synchronized (writeLock) {
                    codec.writeNotification(packer, "serverPid", serverPid);
                    packer.flush();
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> name + " closed: " + e);
                close();
                return;
            }
        }
        serve();
    }

    @Override
    public void serve() {
        serve(this, null);
    }

    /**
     * The loop of a thread that holds a connection: read, answer, repeat. An event run here may end on another
     * connection than it began on (its step came there); the thread then goes on with that one.
     */
    private static void serve(RpcConnection start, RpcRequest first) {
        RpcConnection c = start;
        RpcRequest request = first;
        while (c != null) {
            if (request == null) {
                try {
                    request = c.next(Long.MAX_VALUE);
                } catch (IOException e) {
                    RpcConnection gone = c;
                    LOG.log(System.Logger.Level.DEBUG, () -> gone.name + " closed: " + e);
                    c.close();
                    return;
                }
                if (request == null) {
                    continue; // woken by a wake() meant for an earlier wait
                }
            }
            RpcRequest r = request;
            request = null;
            c = c.answer(r);
        }
    }

    /** Answers one request; returns the connection this thread holds afterwards, or {@code null}. */
    private RpcConnection answer(RpcRequest r) {
        Object result = null;
        String error = null;
        try {
            result = dispatcher.dispatch(r, this);
        } catch (RpcError e) {
            error = e.getMessage();
            LOG.log(System.Logger.Level.DEBUG, () -> name + ": " + r.method() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            return null;
        } catch (RuntimeException e) {
            error = "internal error in " + r.method() + ": " + e;
            LOG.log(System.Logger.Level.ERROR, name + ": " + r.method() + " failed", e);
        }
        if (result instanceof Event event) {
            Link after = event.run();
            return after instanceof RpcConnection next && next.held() ? next : null;
        }
        if (result == Dispatcher.DEFERRED) {
            return null; // a step given, with this connection, to the event that waited for it
        }
        return write(r.msgid(), error, result) ? this : null;
    }

    @Override
    public boolean held() {
        return holder == Thread.currentThread();
    }

    @Override
    public void take() {
        holder = Thread.currentThread();
    }

    @Override
    public RpcRequest next(long deadlineNanos) throws IOException {
        while (true) {
            if (!buffered() && !awaitReadable(deadlineNanos, true)) {
                return null;
            }
            RpcRequest r;
            try {
                r = codec.readRequest(unpacker);
            } catch (ProtocolException e) {
                LOG.log(System.Logger.Level.WARNING, name + ": " + e.getMessage()
                        + (e.inSync() ? "" : "; closing the connection"));
                if (!e.inSync()) {
                    throw new IOException(e.getMessage(), e);
                }
                if (!write(Math.max(e.msgid(), 0), "malformed request: " + e.getMessage(), null)) {
                    throw new IOException("cannot answer a malformed request");
                }
                continue;
            }
            if (r == null) {
                throw new EOFException("closed by Kong");
            }
            msgid = r.msgid(); // the request being answered now, whichever thread answers it
            method = r.method();
            return r;
        }
    }

    @Override
    public void wake() {
        woken = true;
        Selector s = waitingIn;
        if (s != null) {
            s.wakeup();
        }
    }

    @Override
    public void handOff(RpcRequest pending) {
        holder = null;
        if (closed) {
            return;
        }
        try {
            threads.execute(() -> {
                take();
                serve(this, pending);
            });
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.ERROR, name + ": no thread to go on serving it (" + e + "); closing it");
            close();
        }
    }

    /** Writes the answer to the request being answered. Called once per request, by whichever thread has it. */
    @Override
    public void send(Object result, String error) {
        write(msgid, error, result);
    }

    /** Closes the connection (idempotent; any thread). */
    public void close() {
        if (closed) {
            return;
        }
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (writeLock) {
            try {
                packer.close(); // and the write selector, if a full socket buffer ever needed one
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        wake();
        if (onClose != null) {
            onClose.run();
        }
    }

    /** @return whether the connection is closed */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return name;
    }

    /** For tests: who holds it and what it waits for. */
    String describeState() {
        Thread h = holder;
        return name + " holder=" + (h == null ? "none" : h.getName() + "/" + h.getState()) + " closed=" + closed
                + " woken=" + woken + " buffered=" + buffered() + " waitingIn=" + (waitingIn != null)
                + " msgid=" + msgid + " " + method;
    }

    private boolean write(long id, String error, Object result) {
        synchronized (writeLock) {
            if (closed) {
                return false;
            }
            try {
                codec.writeResponse(packer, id, error, result);
                packer.flush();
                return true;
            } catch (IllegalArgumentException e) {
                // a plugin passed a value Kong cannot receive; part of the message may be out, so the connection
                // cannot go on
                LOG.log(System.Logger.Level.ERROR, name + ": cannot encode the answer to request " + id, e);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> name + ": cannot answer " + method + ": " + e);
            }
        }
        close();
        return false;
    }

    /** @return whether the unpacker holds bytes not yet decoded (the start of the next request) */
    private boolean buffered() {
        return in.fed > unpacker.getTotalReadBytes();
    }

    /**
     * Waits in the calling thread's selector until the channel is readable.
     *
     * @param deadlineNanos when to give up
     * @param wakeable whether {@link #wake()} ends the wait
     * @return whether it is readable; {@code false} when woken or past the deadline
     */
    private boolean awaitReadable(long deadlineNanos, boolean wakeable) throws IOException {
        Selector selector = selector();
        SelectionKey key = register(selector, SelectionKey.OP_READ);
        waitingIn = selector;
        try {
            while (true) {
                if (closed) {
                    throw new ClosedChannelException();
                }
                if (wakeable && woken) {
                    woken = false;
                    return false;
                }
                long timeout = 0;
                if (deadlineNanos != Long.MAX_VALUE) {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    timeout = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
                }
                if (selectFor(selector, key, timeout)) {
                    return true;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedIOException(name + ": interrupted");
                }
            }
        } finally {
            waitingIn = null;
        }
    }

    /** One select; keys of connections this thread no longer holds are cancelled as they turn up. */
    private static boolean selectFor(Selector selector, SelectionKey key, long timeout) throws IOException {
        Ready ready = READY.get();
        ready.key = key;
        ready.seen = false;
        selector.select(ready, timeout);
        ready.key = null;
        return ready.seen;
    }

    /** The select action of one thread, kept so that a select allocates nothing. */
    private static final class Ready implements java.util.function.Consumer<SelectionKey> {
        SelectionKey key;
        boolean seen;

        @Override
        public void accept(SelectionKey k) {
            if (k == key) {
                seen = true;
            } else {
                k.cancel();
            }
        }
    }

    private static final ThreadLocal<Ready> READY = ThreadLocal.withInitial(Ready::new);

    private SelectionKey register(Selector selector, int ops) throws IOException {
        SelectionKey key = channel.keyFor(selector);
        if (key != null && key.isValid()) {
            if (key.interestOps() != ops) {
                key.interestOps(ops);
            }
            return key;
        }
        if (key != null) {
            selector.selectNow(k -> { }); // flushes the cancelled key so the channel can register again
        }
        return channel.register(selector, ops);
    }

    /**
     * @return the calling thread's own selector, opened on first use and kept for the thread's life (threads that
     *         serve connections are long-lived pool threads; see {@link #closeSelector()})
     */
    static Selector selector() throws IOException {
        Selector s = SELECTORS.get();
        if (s == null || !s.isOpen()) {
            s = Selector.open();
            SELECTORS.set(s);
        }
        return s;
    }

    /** Closes the calling thread's selector, if it has one: call it when a thread that served connections ends. */
    public static void closeSelector() {
        Selector s = SELECTORS.get();
        SELECTORS.remove();
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // gone either way
            }
        }
    }

    /**
     * Reads the channel for the unpacker into one array of the connection's; waits for readability, not woken, in the
     * middle of a message. msgpack-core's stream input wraps every read in a new {@code MessageBuffer}; here the
     * views of the array are kept by length (Kong's messages come in few sizes), so a read allocates nothing once
     * its size was seen. A view stays valid until the next read, as the unpacker requires.
     */
    private final class ChannelIn implements MessageBufferInput {
        private static final int SIZE = 8192;
        private static final int VIEWS = 1024;
        private final byte[] array = new byte[SIZE];
        private final ByteBuffer wrapped = ByteBuffer.wrap(array);
        private final MessageBuffer[] views = new MessageBuffer[VIEWS];
        private long fed;

        @Override
        public MessageBuffer next() throws IOException {
            wrapped.clear();
            while (true) {
                int n = channel.read(wrapped);
                if (n < 0) {
                    return null;
                }
                if (n > 0) {
                    fed += n;
                    if (n >= VIEWS) {
                        return MessageBuffer.wrap(array, 0, n);
                    }
                    MessageBuffer view = views[n];
                    if (view == null) {
                        view = MessageBuffer.wrap(array, 0, n);
                        views[n] = view;
                    }
                    return view;
                }
                awaitReadable(Long.MAX_VALUE, false);
            }
        }

        @Override
        public void close() {
            // the channel is closed by the connection
        }
    }

    /** Writes the channel fully; a full socket buffer (a large answer Kong has not read yet) is waited out. */
    private final class ChannelOut extends OutputStream {
        private ByteBuffer wrapped;
        private byte[] wrappedArray;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (b != wrappedArray) {
                wrappedArray = b;
                wrapped = ByteBuffer.wrap(b);
            }
            ByteBuffer buf = wrapped;
            buf.limit(off + len).position(off);
            while (buf.hasRemaining()) {
                if (channel.write(buf) == 0) {
                    awaitWritable();
                }
            }
        }

        /** Called under the write lock; a selector of the connection's own, since any thread may write. */
        private void awaitWritable() throws IOException {
            if (writeSelector == null) {
                writeSelector = Selector.open();
            }
            SelectionKey key = register(writeSelector, SelectionKey.OP_WRITE);
            if (!selectFor(writeSelector, key, 1000) && Thread.interrupted()) {
                throw new InterruptedIOException(name + ": interrupted while writing");
            }
        }

        @Override
        public void close() throws IOException {
            if (writeSelector != null) {
                writeSelector.close();
            }
        }
    }
}
