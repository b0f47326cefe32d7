package io.kjps.rpc.server;

import io.kjps.rpc.codec.ProtocolException;
import io.kjps.rpc.codec.RpcCodec;
import io.kjps.rpc.codec.RpcRequest;
import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.dispatch.HandlerThreads;
import io.kjps.rpc.dispatch.Reply;
import io.kjps.rpc.dispatch.RpcError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * Serves one connection from Kong (protocol.md §4.1, §4.2): sends the {@code serverPid} notification, then reads one
 * request at a time and writes its response, until EOF.
 *
 * <p>Events are answered by their own threads ({@link Dispatcher#DEFERRED}): once a {@code HandleEvent} or a step is
 * handed over, this thread goes back to reading, so a call costs one thread hand-off. Where phase methods run on
 * virtual threads (Java 21+), this thread waits for every deferred answer and writes it instead (see
 * {@code ANSWERS_BY_CONNECTION_THREAD}). Kong sends the next request on a
 * connection only after the answer to the last one; should a client send more at once, the next request is only
 * served once the last answer was written, so answers keep the order of the requests.
 *
 * <p>A request whose shape is wrong but whose bytes are valid msgpack gets an error response and the connection
 * goes on. Bytes that are not msgpack, exceed the limits, or end mid-message close the connection: the next
 * message boundary is unknown. Either way only this connection is affected.
 */
public final class RpcConnection implements Runnable {
    private static final System.Logger LOG = System.getLogger(RpcConnection.class.getName());
    /**
     * Whether phase methods run on virtual threads here (Java 21+). junixsocket treats I/O from a virtual thread
     * differently (non-blocking, with its own poller), and that broke the blocking read that the connection's platform
     * thread has in progress on the same socket (the benchmark saw "Broken pipe"). So with virtual threads the
     * connection thread waits for the event's answer and writes it itself, as before the one-hand-off change.
     */
    private static final boolean ANSWERS_BY_CONNECTION_THREAD = HandlerThreads.virtualThreadsAvailable();
    /** How much longer than the handler timeout this thread waits for an answer the watchdog guarantees. */
    private static final long ANSWER_WAIT_MARGIN_MILLIS = 5_000;

    private final InputStream in;
    private final OutputStream out;
    private final Dispatcher dispatcher;
    private final RpcCodec codec;
    private final String name;
    private final long serverPid;

    /**
     * @param in the bytes from Kong
     * @param out the bytes to Kong
     * @param dispatcher answers the calls
     * @param codec reads and writes messages
     * @param name the connection's name in logs
     * @param serverPid the pid announced with {@code serverPid}, or -1 to send no notification
     */
    public RpcConnection(InputStream in, OutputStream out, Dispatcher dispatcher, RpcCodec codec, String name,
                         long serverPid) {
        this.in = in;
        this.out = out;
        this.dispatcher = dispatcher;
        this.codec = codec;
        this.name = name;
        this.serverPid = serverPid;
    }

    @Override
    public void run() {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(in);
             MessagePacker packer = MessagePack.newDefaultPacker(out)) {
            if (serverPid >= 0) {
                codec.writeNotification(packer, "serverPid", serverPid);
                packer.flush();
            }
            serve(unpacker, packer);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> name + " closed: " + e);
        } catch (InterruptedException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> name + " interrupted");
            Thread.currentThread().interrupt();
        }
    }

    private void serve(MessageUnpacker unpacker, MessagePacker packer) throws IOException, InterruptedException {
        ConnectionReply pending = null;
        try {
            while (true) {
                RpcRequest request;
                try {
                    request = codec.readRequest(unpacker);
                } catch (ProtocolException e) {
                    awaitWritten(pending);
                    pending = null;
                    LOG.log(System.Logger.Level.WARNING, name + ": " + e.getMessage()
                            + (e.inSync() ? "" : "; closing the connection"));
                    if (e.inSync()) {
                        write(packer, Math.max(e.msgid(), 0), "malformed request: " + e.getMessage(), null);
                        continue;
                    }
                    return;
                }
                awaitWritten(pending);
                pending = null;
                if (request == null) {
                    return;
                }
                ConnectionReply reply = new ConnectionReply(packer, request.msgid(), request.method());
                Object result = null;
                String error = null;
                try {
                    result = dispatcher.dispatch(request, reply);
                } catch (RpcError e) {
                    error = e.getMessage();
                    LOG.log(System.Logger.Level.DEBUG, () -> name + ": " + request.method() + " failed: "
                            + e.getMessage());
                } catch (RuntimeException e) {
                    error = "internal error in " + request.method() + ": " + e;
                    LOG.log(System.Logger.Level.ERROR, name + ": " + request.method() + " failed", e);
                }
                if (result == Dispatcher.DEFERRED) {
                    pending = reply;
                    if (ANSWERS_BY_CONNECTION_THREAD) {
                        pending = null;
                        awaitWritten(reply);
                    }
                } else if (!reply.write(result, error)) {
                    return;
                }
            }
        } finally {
            // at the end of the stream, the answer still owed is written before the connection closes (unless this
            // thread is being interrupted: the server is stopping)
            if (!Thread.currentThread().isInterrupted()) {
                awaitWritten(pending);
            }
        }
    }

    /**
     * Waits until a deferred answer was written, and writes it here when a virtual thread left it: at once in
     * practice on Java 17, since Kong only sends after reading the answer. The watchdog answers within the handler
     * timeout, so the wait is bounded by it (plus a margin).
     */
    private void awaitWritten(ConnectionReply pending) throws InterruptedException, IOException {
        if (pending == null) {
            return;
        }
        long millis = dispatcher.settings().handlerTimeoutMillis() + ANSWER_WAIT_MARGIN_MILLIS;
        boolean written;
        try {
            written = pending.awaitWritten(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // kept for the finally of serve() and for run()
            throw e;
        }
        if (!written) {
            LOG.log(System.Logger.Level.ERROR, name + ": no answer to " + pending.method + " within " + millis + " ms");
            return;
        }
        pending.writeLeftAnswer();
    }

    private boolean write(MessagePacker packer, long msgid, String error, Object result) throws IOException {
        synchronized (packer) {
            try {
                codec.writeResponse(packer, msgid, error, result);
            } catch (IllegalArgumentException e) {
                // a plugin passed a value Kong cannot receive; part of the message may be out, so the connection
                // cannot go on
                LOG.log(System.Logger.Level.ERROR, name + ": cannot encode the answer to request " + msgid, e);
                packer.close();
                return false;
            }
            packer.flush();
            return true;
        }
    }

    /** The answer to one request, written by whichever thread has it: this one, or the event's. */
    private final class ConnectionReply implements Reply {
        private final MessagePacker packer;
        // not the request itself: a connection keeps its last reply until Kong's next request on it, which on a
        // connection idle in Kong's pool can be long, and the request's data (bodies, log entries) would be kept
        // with it, promoted to the old generation and collected only by a full GC
        private final long msgid;
        private final String method;
        private final CountDownLatch written = new CountDownLatch(1);
        // the answer left for the connection thread to write (ANSWERS_BY_CONNECTION_THREAD); published by the latch
        private boolean left;
        private Object leftResult;
        private String leftError;

        ConnectionReply(MessagePacker packer, long msgid, String method) {
            this.packer = packer;
            this.msgid = msgid;
            this.method = method;
        }

        @Override
        public void send(Object result, String error) {
            if (ANSWERS_BY_CONNECTION_THREAD) {
                leftResult = result;
                leftError = error;
                left = true;
                written.countDown();
                return;
            }
            try {
                write(result, error);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> name + ": cannot answer " + method + ": " + e);
            }
        }

        /** Writes the answer left for the connection thread, if any; called by it after the latch. */
        void writeLeftAnswer() throws IOException {
            if (left) {
                left = false;
                Object result = leftResult;
                leftResult = null;
                if (!RpcConnection.this.write(packer, msgid, leftError, result)) {
                    throw new IOException("the answer to " + method + " cannot be encoded");
                }
            }
        }

        boolean write(Object result, String error) throws IOException {
            try {
                return RpcConnection.this.write(packer, msgid, error, result);
            } finally {
                written.countDown();
            }
        }

        boolean awaitWritten(long millis) throws InterruptedException {
            return written.await(millis, TimeUnit.MILLISECONDS);
        }
    }
}
