package io.kjps.emulator;

import io.kjps.emulator.internal.KongConnection;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Kong's {@code Rpc} object (protocol.md §4.1, §4.2): one msgid counter (per plugin per worker in Kong 3.9+, starting at
 * 1), connections from a {@link KongConnectionPool}. Each {@link #call} borrows a connection, sends
 * {@code [0, msgid, method, [param]]}, reads until the response {@code [1, msgid, error, result]}, handles
 * {@code [2, "serverPid", pid]} notifications that come before it, checks the echoed msgid and returns the connection
 * to the pool as soon as the response is read (before the caller looks at it, as Kong does).
 *
 * <p>Thread-safe: concurrent calls each use their own connection.
 */
public final class KongClient {
    private final KongConnectionPool pool;
    private final AtomicLong msgid = new AtomicLong();
    private final List<LongConsumer> pidListeners = new CopyOnWriteArrayList<>();
    private final Object pidLock = new Object();
    private Long serverPid;

    /** @param pool the worker's pool for the server's socket */
    public KongClient(KongConnectionPool pool) {
        this.pool = Objects.requireNonNull(pool);
    }

    /** @return the pool this client borrows connections from */
    public KongConnectionPool pool() {
        return pool;
    }

    /** @return the last msgid used (0 before the first call) */
    public long lastMsgid() {
        return msgid.get();
    }

    /** @return the last server PID announced by a {@code serverPid} notification, or null */
    public Long serverPid() {
        synchronized (pidLock) {
            return serverPid;
        }
    }

    /**
     * Registers a listener for a <em>changed</em> server PID: called with the new PID when a {@code serverPid}
     * notification differs from the one seen before (not for the first one), which is when Kong drops every instance
     * it started through this Rpc object. Called on the calling thread, during the call that read the notification.
     *
     * @param listener receives the new PID
     */
    public void addServerPidListener(LongConsumer listener) {
        pidListeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Makes one RPC call.
     *
     * @param method e.g. {@code plugin.HandleEvent}
     * @param param  the single parameter (Kong always sends exactly one), packed with {@link KongPacker}
     * @return the {@code result} of the response (decoded by {@link MsgDecoder})
     * @throws KongRpcException      the server answered with an error string
     * @throws KongIoException       connect, send or read failed (Kong: {@code "no data"})
     * @throws KongProtocolException the answer broke the contract
     */
    public Object call(String method, Object param) {
        long id = nextMsgid();
        byte[] wire = request(id, method, param);
        KongConnection c;
        try {
            c = pool.borrow();
        } catch (IOException e) {
            throw new KongIoException("trying to connect: " + e.getMessage(), e);
        }
        List<?> response;
        try {
            response = exchange(c, wire, id);
        } catch (IOException e) {
            pool.discard(c);
            throw new KongIoException("no data (" + method + ", msgid " + id + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            pool.discard(c);
            throw e;
        }
        pool.release(c); // Kong's setkeepalive(), before the result is looked at
        return result(method, id, response);
    }

    /**
     * Takes the next msgid of this Rpc object, for a caller that does its own I/O (the benchmark's event loop) with
     * {@link #request}, {@link #isNotification}, {@link #response} and {@link #result}, as {@link #call} does.
     *
     * @return the msgid to send
     */
    public long nextMsgid() {
        return msgid.incrementAndGet();
    }

    /**
     * @param msgid  the call's msgid
     * @param method e.g. {@code plugin.HandleEvent}
     * @param param  the single parameter, packed with {@link KongPacker}
     * @return the request {@code [0, msgid, method, [param]]} as Kong sends it
     */
    public static byte[] request(long msgid, String method, Object param) {
        return KongPacker.pack(Arrays.asList(0, msgid, method, Arrays.asList(param)));
    }

    /**
     * @param message a value read from a connection
     * @return whether it is a notification {@code [2, label, ...]}, which Kong reads past while waiting for an answer
     */
    public static boolean isNotification(Object message) {
        return message instanceof List<?> l && !l.isEmpty() && isNumber(l.get(0), 2);
    }

    /**
     * Checks that a value read while waiting for the answer to {@code msgid} is that answer. A failure here means the
     * connection must not be reused.
     *
     * @param msgid   the msgid of the call
     * @param message the value read (not a notification)
     * @return the response {@code [1, msgid, error, result]}
     * @throws KongProtocolException when it is not the response to that call
     */
    public static List<?> response(long msgid, Object message) {
        if (!(message instanceof List<?> l) || l.isEmpty()) {
            throw new KongProtocolException("RPC response expected, got " + message);
        }
        if (!isNumber(l.get(0), 1) || l.size() != 4) {
            throw new KongProtocolException("RPC response [1, msgid, error, result] expected, got " + l);
        }
        if (!isNumber(l.get(1), msgid)) {
            throw new KongProtocolException("unexpected RPC response ID " + l.get(1) + " (expected " + msgid + ")");
        }
        return l;
    }

    /**
     * The call's outcome, looked at after the connection went back to the pool (as Kong does).
     *
     * @param method   the method called
     * @param msgid    its msgid
     * @param response the checked response, see {@link #response}
     * @return its {@code result}
     * @throws KongRpcException      the server answered with an error string
     * @throws KongProtocolException the error is not a string
     */
    public static Object result(String method, long msgid, List<?> response) {
        Object error = response.get(2);
        if (error != null) {
            if (error instanceof String s) {
                throw new KongRpcException(method, msgid, s);
            }
            if (error instanceof RawString r) {
                throw new KongRpcException(method, msgid, r.latin1());
            }
            throw new KongProtocolException(method + " (msgid " + msgid + "): error is not a string (Kong calls "
                    + "err:lower() on it): " + error);
        }
        return response.get(3);
    }

    private List<?> exchange(KongConnection c, byte[] wire, long id) throws IOException {
        long timeout = pool.timeoutMillis();
        c.write(wire, timeout);
        while (true) {
            Object v = c.read(timeout);
            if (isNotification(v)) {
                notification((List<?>) v);
                continue;
            }
            List<?> l = response(id, v);
            if (c.hasUnreadData()) {
                throw new KongProtocolException("the server sent bytes after the response to msgid " + id
                        + " (Kong would lose them)");
            }
            return l;
        }
    }

    private void notification(List<?> l) {
        if (l.size() < 2 || !"serverPid".equals(l.get(1))) {
            return; // Kong ignores labels it has no callback for
        }
        Long pid = l.size() > 2 && l.get(2) instanceof Number n ? n.longValue() : null;
        boolean changed;
        synchronized (pidLock) {
            changed = serverPid != null && !serverPid.equals(pid);
            serverPid = pid;
        }
        if (changed && pid != null) {
            for (LongConsumer listener : pidListeners) {
                listener.accept(pid);
            }
        }
    }

    private static boolean isNumber(Object v, long expected) {
        if (v instanceof Long n) {
            return n == expected;
        }
        return v instanceof Double d && d == expected;
    }

    @Override
    public String toString() {
        return "KongClient[" + pool + ", msgid=" + msgid.get() + "]";
    }
}
