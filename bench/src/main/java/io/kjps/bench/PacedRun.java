package io.kjps.bench;

import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.emulator.KongException;
import io.kjps.emulator.KongProtocolException;
import io.kjps.emulator.MsgDecoder;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One measurement in the Kong-paced mode: Nginx's execution model. Each emulated Nginx worker is one thread running
 * one event loop (a {@link Selector} over the worker's connections to the plugin server) with its share of the
 * {@code concurrency} requests, as wrk spreads its connections over the workers. A request is a state machine (for
 * {@code churn} every {@value Scenario#CHURN_EVERY}th event first {@code StartInstance} and {@code CloseInstance} of
 * the old id, then {@code HandleEvent} and one Step per PDK call, the emulator's own bridge loop,
 * {@link KongEmulator.Bridge}); a finished event is followed at once by the request's next one, as wrk replaces a
 * finished request.
 *
 * <p>Kong's {@code mp_rpc.lua} makes every call as: take a connection from the worker's keepalive pool (LIFO, at most
 * {@value KongConnectionPool#DEFAULT_MAX_IDLE} idle), send, read the answer, put the connection back. A request gives
 * up the thread only while it waits on a socket: the loop reads an answer, puts the connection back, burns the
 * configured CPU (Kong's Lua around each RPC, the PDK function between an answer and the next Step), takes the top
 * idle connection (the one just returned) and sends the next call, all before it looks at any other ready
 * connection. So the next Step of an event goes out on the connection that carried the answer, and nothing else of
 * that worker runs between.
 *
 * <p>The latency of an event: from the send of its first call to its last answer. Events that start and end inside
 * the window count; each is checked to have made the scenario's PDK calls and ended as expected. Connections are
 * per run, opened during the settle time, closed at its end.
 */
final class PacedRun {
    /** Kong's measured Lua CPU per RPC call, the default of {@code --rpc-cpu-us}. */
    static final long DEFAULT_RPC_CPU_MICROS = 30;

    private PacedRun() {
    }

    /**
     * @param kong         Kong's side towards the server (its first {@code workers} emulators: msgid counters, cached
     *                     instances)
     * @param pid          the server's pid (for /proc)
     * @param scenario     what each event does
     * @param concurrency  requests in flight, spread over the workers (request i on worker i mod workers)
     * @param workers      emulated Nginx workers: event-loop threads
     * @param rpcCpuNanos  busy CPU burnt by the worker before each RPC call
     * @param settleMillis unmeasured time first
     * @param windowMillis the measured window
     * @return the numbers
     */
    static LoadRun.Result run(KongSide kong, long pid, Scenario scenario, int concurrency, int workers,
                              long rpcCpuNanos, long settleMillis, long windowMillis)
            throws InterruptedException, IOException {
        if (workers > kong.workers()) {
            throw new IllegalArgumentException(workers + " workers asked, " + kong.workers() + " emulated");
        }
        LoadRun.Window window = new LoadRun.Window();
        List<Loop> loops = new ArrayList<>();
        try {
            for (int w = 0; w < workers && w < concurrency; w++) {
                List<Integer> requests = new ArrayList<>();
                for (int i = w; i < concurrency; i += workers) {
                    requests.add(i);
                }
                loops.add(new Loop(kong, w, scenario, requests, window, rpcCpuNanos));
            }
        } catch (IOException | RuntimeException e) {
            loops.forEach(Loop::close);
            throw e;
        }
        List<Thread> threads = new ArrayList<>();
        long[] ids = new long[loops.size()];
        for (Loop l : loops) {
            Thread t = new Thread(l, "kong-worker-" + l.worker);
            t.setDaemon(true);
            ids[threads.size()] = t.getId();
            threads.add(t);
        }
        threads.forEach(Thread::start);
        LoadRun.Readings readings = LoadRun.measure(window, pid, kong, settleMillis, windowMillis, ids);
        for (Thread t : threads) {
            t.join(60_000);
        }
        LoadRun.Counts counts = new LoadRun.Counts();
        for (Loop l : loops) {
            counts.add(l.events, l.errors, l.eventRpcs, l.firstError, l.latencies);
            counts.connections = Math.max(0, counts.connections) + l.opened;
        }
        return LoadRun.result(window, readings, counts);
    }

    private static final int START = 0;
    private static final int CLOSE = 1;
    private static final int EVENT = 2;

    /** One concurrent request of a worker: its events one after the other. */
    private static final class Request {
        final int index;
        /** The instance its events run on; for churn the one started last, -1 before the first. */
        long instanceId;
        long seq;
        int stage;
        KongEmulator.Bridge bridge;
        /** Whether the current event has sent its first call. */
        boolean started;
        boolean counted;
        long t0;
        int rpcs;
        long msgid;
        String method;

        Request(int index, long instanceId) {
            this.index = index;
            this.instanceId = instanceId;
        }
    }

    /** A connection of the worker's keepalive pool. */
    private static final class Conn {
        final SocketChannel channel;
        final MsgDecoder decoder = new MsgDecoder();
        SelectionKey key;
        /** The request waiting for an answer on it, or null while idle. */
        Request waiting;
        /** The unsent rest of a request (the socket buffer was full), or null. */
        ByteBuffer unsent;
        boolean closed;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /** One emulated Nginx worker: one thread, one selector, one keepalive pool, one msgid counter. */
    private static final class Loop implements Runnable {
        final int worker;
        private final KongSide kong;
        private final KongEmulator emulator;
        private final KongClient client;
        private final Scenario scenario;
        private final String pluginName;
        private final LoadRun.Window window;
        private final long rpcCpuNanos;
        private final Selector selector;
        private final ByteBuffer readBuf = ByteBuffer.allocateDirect(64 * 1024);
        /** Idle connections, oldest first: take the last (LIFO), evict the first. */
        private final ArrayDeque<Conn> idle = new ArrayDeque<>();
        private final List<Request> requests = new ArrayList<>();
        /** Requests whose event failed while sending: started again after the next select, never recursively. */
        private final ArrayDeque<Request> retry = new ArrayDeque<>();
        private final int expectedCalls;
        private final EventOutcome.Ending expectedEnding;
        private int inFlight;
        // tallies of the events counted, read by the measuring thread after join()
        final LoadRun.LongList latencies = new LoadRun.LongList();
        long events;
        long errors;
        long eventRpcs;
        String firstError;
        int opened;

        Loop(KongSide kong, int worker, Scenario scenario, List<Integer> indexes, LoadRun.Window window,
             long rpcCpuNanos) throws IOException {
            this.worker = worker;
            this.kong = kong;
            this.emulator = kong.emulator(worker);
            this.client = emulator.client();
            this.scenario = scenario;
            this.pluginName = kong.pluginName(scenario.plugin());
            this.window = window;
            this.rpcCpuNanos = rpcCpuNanos;
            this.expectedCalls = scenario.calls().size();
            this.expectedEnding = scenario == Scenario.EXIT ? EventOutcome.Ending.EXIT : EventOutcome.Ending.RET;
            // the worker's cached instance (started by the validation), except for churn: each request its own entity
            long shared = scenario == Scenario.CHURN ? -1 : kong.plugin(worker, scenario.plugin()).instanceId();
            for (int i : indexes) {
                requests.add(new Request(i, shared));
            }
            this.selector = Selector.open();
        }

        @Override
        public void run() {
            long deadline = Long.MAX_VALUE;
            try {
                for (Request r : requests) {
                    startEvent(r);
                }
                while (true) {
                    if (window.stop) {
                        // no new events; let the ones in flight finish, so no answer is left unread
                        if (inFlight == 0) {
                            break;
                        }
                        deadline = Math.min(deadline, System.nanoTime() + 30_000_000_000L);
                        if (System.nanoTime() > deadline) {
                            break; // the server stopped answering
                        }
                    }
                    selector.select(this::ready, retry.isEmpty() ? 100 : 1);
                    for (int n = retry.size(); n > 0; n--) {
                        startEvent(retry.poll());
                    }
                }
            } catch (IOException | RuntimeException e) {
                error(true, "event loop: " + e);
            } finally {
                close();
            }
        }

        void close() {
            for (SelectionKey k : selector.keys()) {
                closeConn((Conn) k.attachment());
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        // ---------------------------------------------------------------------------------------------------
        // a request's steps

        private void startEvent(Request r) {
            if (window.stop) {
                return;
            }
            r.started = false;
            r.rpcs = 0;
            r.bridge = null;
            long seq = r.seq++;
            if (scenario == Scenario.CHURN && seq % Scenario.CHURN_EVERY == 0) {
                // an Admin API change of this request's plugin entity: Kong's get_instance_id starts an instance
                // with the new config, then closes the old one, before the event
                r.stage = START;
                send(r, "plugin.StartInstance",
                        KongEmulator.startInstanceParam(pluginName, KongSide.churnConfig(r.index, seq)));
            } else {
                handleEvent(r);
            }
        }

        private void handleEvent(Request r) {
            r.stage = EVENT;
            r.bridge = emulator.bridge(r.instanceId, scenario.phase(), kong.pdk());
            send(r, r.bridge.method(), r.bridge.param());
        }

        /** Kong's PDK work before the call, then the call on the pool's top connection. */
        private void send(Request r, String method, Object param) {
            burn();
            Conn c = idle.pollLast();
            if (c == null) {
                try {
                    c = open();
                } catch (IOException e) {
                    fail(r, "trying to connect: " + e, true);
                    return;
                }
            }
            r.msgid = client.nextMsgid();
            r.method = method;
            ByteBuffer wire = ByteBuffer.wrap(KongClient.request(r.msgid, method, param));
            if (!r.started) {
                r.started = true;
                r.t0 = System.nanoTime();
                r.counted = window.counting();
            }
            r.rpcs++;
            c.waiting = r;
            inFlight++;
            try {
                c.channel.write(wire);
                if (wire.hasRemaining()) {
                    c.unsent = wire;
                    c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                }
            } catch (IOException e) {
                c.waiting = null;
                inFlight--;
                closeConn(c);
                fail(r, "no data (" + method + ", msgid " + r.msgid + "): " + e, true);
            }
        }

        /** The call's answer is read and its connection back in the pool: the request's next step. */
        private void answered(Request r, Object result) {
            try {
                switch (r.stage) {
                    case START -> {
                        long old = r.instanceId;
                        r.instanceId = KongEmulator.startedInstanceId(result);
                        if (old >= 0) {
                            r.stage = CLOSE;
                            send(r, "plugin.CloseInstance", old);
                        } else {
                            handleEvent(r);
                        }
                    }
                    case CLOSE -> handleEvent(r);
                    default -> {
                        r.bridge.answer(result);
                        if (r.bridge.done()) {
                            finish(r);
                        } else {
                            send(r, r.bridge.method(), r.bridge.param());
                        }
                    }
                }
            } catch (KongException | IllegalStateException | NullPointerException e) {
                fail(r, e.toString(), false);
            }
        }

        private void finish(Request r) {
            long t1 = System.nanoTime();
            EventOutcome o = r.bridge.outcome();
            if (r.counted && !window.closed) {
                if (o.calls().size() == expectedCalls && o.ending() == expectedEnding) {
                    events++;
                    eventRpcs += r.rpcs;
                    latencies.add(t1 - r.t0);
                } else {
                    error(true, "unexpected event: " + o.calls().size() + " PDK calls, ending " + o.ending());
                }
            }
            startEvent(r);
        }

        /** The event failed (Kong logs it and goes on): counted as an error, the request's next event follows. */
        private void fail(Request r, String error, boolean later) {
            error(r.started ? r.counted : window.counting(), error);
            if (later) {
                retry.add(r);
            } else {
                startEvent(r);
            }
        }

        private void error(boolean counted, String error) {
            if (counted && !window.closed) {
                errors++;
                if (firstError == null) {
                    firstError = error;
                }
            }
        }

        private void burn() {
            if (rpcCpuNanos <= 0) {
                return;
            }
            long end = System.nanoTime() + rpcCpuNanos;
            while (System.nanoTime() < end) {
                // Kong's Lua: busy, on this worker's only thread
            }
        }

        // ---------------------------------------------------------------------------------------------------
        // the connections

        private Conn open() throws IOException {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(kong.socket()));
                ch.configureBlocking(false);
                Conn c = new Conn(ch);
                // read interest stays on for the connection's life, idle too (Nginx watches idle keepalive
                // connections for a close or unexpected bytes)
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
                opened++;
                return c;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }

        /** Kong's {@code setkeepalive()}: back on top of the pool; the oldest idle one closed beyond the limit. */
        private void release(Conn c) {
            if (idle.size() >= KongConnectionPool.DEFAULT_MAX_IDLE) {
                closeConn(idle.pollFirst());
            }
            idle.addLast(c);
        }

        private void closeConn(Conn c) {
            if (c.closed) {
                return;
            }
            c.closed = true;
            idle.remove(c);
            c.key.cancel();
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        private void ready(SelectionKey key) {
            Conn c = (Conn) key.attachment();
            if (c.closed || !key.isValid()) {
                return;
            }
            if (key.isWritable()) {
                writable(c);
            }
            if (!c.closed && key.isReadable()) {
                readable(c);
            }
        }

        private void writable(Conn c) {
            if (c.unsent == null) {
                c.key.interestOps(SelectionKey.OP_READ);
                return;
            }
            try {
                c.channel.write(c.unsent);
                if (!c.unsent.hasRemaining()) {
                    c.unsent = null;
                    c.key.interestOps(SelectionKey.OP_READ);
                }
            } catch (IOException e) {
                lost(c, "no data: " + e);
            }
        }

        private void readable(Conn c) {
            List<Object> values;
            try {
                readBuf.clear();
                int n = c.channel.read(readBuf);
                if (n < 0) {
                    lost(c, "no data: connection closed by the server");
                    return;
                }
                readBuf.flip();
                values = c.decoder.feed(readBuf);
            } catch (IOException | KongException e) {
                lost(c, "no data: " + e);
                return;
            }
            for (int i = 0; i < values.size(); i++) {
                Object v = values.get(i);
                if (KongClient.isNotification(v)) {
                    continue; // serverPid, first on every new connection
                }
                Request r = c.waiting;
                if (r == null) {
                    closeConn(c); // bytes on an idle connection: OpenResty's pool drops it
                    return;
                }
                List<?> response;
                try {
                    response = KongClient.response(r.msgid, v);
                    if (i < values.size() - 1 || c.decoder.pending() > 0) {
                        throw new KongProtocolException("the server sent bytes after the response"
                                + " to msgid " + r.msgid + " (Kong would lose them)");
                    }
                } catch (KongException e) {
                    lost(c, e.toString());
                    return;
                }
                c.waiting = null;
                inFlight--;
                release(c);
                Object result;
                try {
                    result = KongClient.result(r.method, r.msgid, response);
                } catch (KongException e) {
                    if (r.stage == CLOSE) {
                        handleEvent(r); // Kong ignores a failed CloseInstance
                    } else {
                        fail(r, e.toString(), false);
                    }
                    return;
                }
                answered(r, result);
                return;
            }
        }

        /** A connection failed: closed, and the call waiting on it (if any) fails. */
        private void lost(Conn c, String error) {
            Request r = c.waiting;
            closeConn(c);
            if (r != null) {
                c.waiting = null;
                inFlight--;
                fail(r, error, false);
            }
        }
    }
}
