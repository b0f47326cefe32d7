package io.kjps.emulator;

import io.kjps.emulator.internal.KongConnection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * One Nginx worker's keepalive pool for one plugin-server socket (OpenResty pool key {@code unix:<path>}, protocol.md
 * §4.2). Every RPC call takes an idle connection (or opens a new one), makes one request/response on it and puts it
 * back. A returned connection joins the idle set; when the idle set already holds {@code maxIdle} connections the
 * longest-idle one is closed (OpenResty evicts the oldest cached connection). An idle connection that the server
 * closed, or that received unsolicited bytes, is dropped when it would be taken (OpenResty closes those too).
 *
 * <p>Thread-safe. Share one pool between the {@link KongClient}s of one emulated worker (Kong 3.9+ shares the pool
 * between all plugins on the same socket); use a pool per worker.
 */
public final class KongConnectionPool implements AutoCloseable {

    /** Which idle connection a call takes. */
    public enum Policy {
        /** The most recently returned idle connection; a new one only when none is idle (OpenResty). */
        LIFO,
        /**
         * Spread calls: open new connections until {@code maxIdle} exist, then take the longest-idle one. Sequential
         * calls cycle over {@code maxIdle} distinct connections, so the steps of one event land on different
         * connections (Kong allows that, protocol.md §4.2).
         */
        ROUND_ROBIN,
        /** A uniformly random idle connection, or a new one (one more choice while fewer than {@code maxIdle} exist). */
        RANDOM
    }

    /** OpenResty's default {@code lua_socket_pool_size}. */
    public static final int DEFAULT_MAX_IDLE = 30;
    /** OpenResty's default read/send timeout (60 s). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Path socket;
    private final int maxIdle;
    private final Policy policy;
    private final long timeoutMillis;
    private final boolean blocking;
    private final Random random = new Random(0x5eed);
    private final LinkedList<KongConnection> idle = new LinkedList<>(); // oldest first
    private int busy;
    private int opened;
    private boolean closed;

    /**
     * A LIFO pool with {@link #DEFAULT_MAX_IDLE} idle connections and the {@link #DEFAULT_TIMEOUT}.
     *
     * @param socket the plugin server's socket file
     */
    public KongConnectionPool(Path socket) {
        this(socket, DEFAULT_MAX_IDLE, Policy.LIFO, DEFAULT_TIMEOUT);
    }

    /**
     * @param socket  the plugin server's socket file
     * @param maxIdle the most idle connections kept (at least 1)
     * @param policy  which idle connection a call takes
     * @param timeout the send/read timeout per operation (Kong's read failure: {@code "no data"})
     */
    public KongConnectionPool(Path socket, int maxIdle, Policy policy, Duration timeout) {
        this(socket, maxIdle, policy, timeout, false);
    }

    /**
     * A pool whose connections may use blocking I/O: cheaper per call (one {@code read} system call per answer
     * instead of {@code read}, {@code epoll_wait}, {@code read}), but with no timeout: a call waits until the server
     * answers or closes the connection. Meant for load generators, which end the server to end a stuck call.
     *
     * @param socket   the plugin server's socket file
     * @param maxIdle  the most idle connections kept (at least 1)
     * @param policy   which idle connection a call takes
     * @param timeout  the send/read timeout per operation; ignored with blocking I/O
     * @param blocking blocking I/O without deadlines
     */
    public KongConnectionPool(Path socket, int maxIdle, Policy policy, Duration timeout, boolean blocking) {
        if (maxIdle < 1) {
            throw new IllegalArgumentException("maxIdle must be >= 1");
        }
        this.socket = Objects.requireNonNull(socket);
        this.maxIdle = maxIdle;
        this.policy = Objects.requireNonNull(policy);
        this.timeoutMillis = Math.max(1, timeout.toMillis());
        this.blocking = blocking;
    }

    /** @return the socket this pool connects to */
    public Path socket() {
        return socket;
    }

    /** @return the number of idle connections now */
    public synchronized int idleCount() {
        return idle.size();
    }

    /** @return the number of connections now lent to calls */
    public synchronized int busyCount() {
        return busy;
    }

    /** @return how many connections this pool has opened so far */
    public synchronized int openedCount() {
        return opened;
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    /** Takes a connection per the policy, or opens one. */
    KongConnection borrow() throws IOException {
        while (true) {
            KongConnection c;
            int serial;
            synchronized (this) {
                if (closed) {
                    throw new IOException("pool closed");
                }
                c = pick();
                busy++;
                serial = c == null ? ++opened : 0;
            }
            if (c == null) {
                try {
                    return KongConnection.open(socket, serial, blocking);
                } catch (IOException | RuntimeException e) {
                    synchronized (this) {
                        busy--;
                    }
                    throw e;
                }
            }
            if (c.probeIdle()) {
                return c;
            }
            c.close();
            synchronized (this) {
                busy--;
            }
        }
    }

    private KongConnection pick() {
        int total = idle.size() + busy;
        switch (policy) {
            case LIFO:
                return idle.pollLast();
            case ROUND_ROBIN:
                return total < maxIdle ? null : idle.pollFirst();
            case RANDOM: {
                int choices = idle.size() + (total < maxIdle || idle.isEmpty() ? 1 : 0);
                int i = random.nextInt(choices);
                return i < idle.size() ? idle.remove(i) : null;
            }
            default:
                throw new AssertionError(policy);
        }
    }

    /** Returns a connection after a complete call (Kong's {@code setkeepalive()}). */
    void release(KongConnection c) {
        KongConnection evicted = null;
        synchronized (this) {
            busy--;
            if (closed || c.isClosed()) {
                evicted = c;
            } else {
                if (idle.size() >= maxIdle) {
                    evicted = idle.pollFirst();
                }
                idle.addLast(c);
            }
        }
        if (evicted != null) {
            evicted.close();
        }
    }

    /** Closes a connection that must not be reused (I/O or protocol failure). */
    void discard(KongConnection c) {
        c.close();
        synchronized (this) {
            busy--;
        }
    }

    /** Closes every idle connection now and every lent one when it comes back. */
    @Override
    public void close() {
        List<KongConnection> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
        }
        toClose.forEach(KongConnection::close);
    }

    @Override
    public synchronized String toString() {
        return "KongConnectionPool[" + socket + ", " + policy + ", idle=" + idle.size() + ", busy=" + busy + "]";
    }
}
