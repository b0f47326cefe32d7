package io.kjps.socket.internal;

import io.kjps.listener.HandOver;
import io.kjps.rpc.codec.DecodeLimits;
import io.kjps.rpc.codec.RpcCodec;
import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.server.RpcConnection;
import io.kjps.socket.internal.transport.UnixConnection;
import io.kjps.socket.internal.transport.UnixListener;
import io.kjps.socket.internal.transport.JdkUnixSockets;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accepts Kong's connections on the unix socket and serves each one with an {@link RpcConnection}, starting on a
 * thread of its own (which thread serves it later is {@link RpcConnection}'s business). Knows nothing of OSGi.
 *
 * <p>Stopping: the listener closes first (no new connections), events in flight get a bounded time to finish,
 * then open connections are closed.
 */
final class SocketServer {
    private static final System.Logger LOG = System.getLogger(SocketServer.class.getName());

    private final SocketSettings settings;
    private final Dispatcher dispatcher;
    private final RpcCodec codec = new RpcCodec(DecodeLimits.DEFAULT);
    // a connection's thread also runs its events (RpcConnection): one pool for both, the dispatcher's too
    private final ExecutorService connectionThreads;
    private final Set<RpcConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final long pid = ProcessHandle.current().pid();
    private final PeerPolicy peers;
    private volatile UnixListener listener;
    private volatile boolean stopping;
    private Thread acceptThread;

    /**
     * @param settings          the socket's settings
     * @param dispatcher        answers the requests
     * @param connectionThreads holds the connections and runs their events (the dispatcher's pool too); shut down
     *                          by {@link #stop()}
     */
    SocketServer(SocketSettings settings, Dispatcher dispatcher, ExecutorService connectionThreads) {
        this.settings = settings;
        this.dispatcher = dispatcher;
        this.connectionThreads = connectionThreads;
        this.peers = new PeerPolicy(settings.allowedUids());
    }

    /**
     * Binds the socket and starts accepting.
     *
     * @throws IOException when the socket cannot be bound
     */
    void start() throws IOException {
        listener = settings.inherited() ? JdkUnixSockets.listener(HandOver.inherited(), true)
                : JdkUnixSockets.listener(settings.listening().open(), false);
        acceptThread = new Thread(this::acceptLoop, "kong-socket-accept");
        acceptThread.setDaemon(true);
        acceptThread.start();
    }

    private void acceptLoop() {
        UnixListener l = listener;
        while (!stopping) {
            UnixConnection c;
            try {
                c = l.accept();
            } catch (IOException e) {
                if (!stopping) {
                    LOG.log(System.Logger.Level.ERROR, "accept failed on " + settings.socket() + ": " + e);
                    backOff();
                }
                continue;
            }
            long n = accepted.incrementAndGet();
            if (!peers.admit(c, n)) {
                close(c);
                continue;
            }
            RpcConnection[] connection = new RpcConnection[1];
            try {
                connection[0] = new RpcConnection(c.channel(), dispatcher, codec, connectionThreads,
                        "connection " + n, pid, () -> open.remove(connection[0]));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot serve connection " + n + ": " + e);
                close(c);
                continue;
            }
            open.add(connection[0]);
            if (stopping) {
                connection[0].close();
                continue;
            }
            try {
                connectionThreads.execute(connection[0]);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "no thread for connection " + n + ": " + e);
                connection[0].close();
            }
        }
    }

    private static void close(UnixConnection c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static void backOff() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return connections accepted since start */
    long acceptedConnections() {
        return accepted.get();
    }

    /** @return connections open now */
    int openConnections() {
        return open.size();
    }

    /** Stops accepting, drains events in flight for a bounded time, then closes every connection. */
    void stop() {
        stopping = true;
        UnixListener l = listener;
        if (l != null) {
            try {
                l.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.drainMillis());
        int inFlight;
        while ((inFlight = dispatcher.events().size()) > 0 && System.nanoTime() - deadline < 0) {
            backOffShort();
        }
        if (inFlight > 0) {
            LOG.log(System.Logger.Level.WARNING, inFlight + " events still running after " + settings.drainMillis()
                    + " ms; ending them");
        }
        dispatcher.cancelEvents(null, "the server is stopping");
        for (RpcConnection c : open) {
            c.close();
        }
        connectionThreads.shutdownNow();
        if (acceptThread != null) {
            try {
                acceptThread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void backOffShort() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
