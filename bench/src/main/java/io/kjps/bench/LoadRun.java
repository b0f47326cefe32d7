package io.kjps.bench;

import io.kjps.emulator.ConfiguredPlugin;
import io.kjps.emulator.KongException;
import java.util.Arrays;

/**
 * One measurement in the fast mode: {@code concurrency} requests in flight, each a thread that runs events back to
 * back through Kong's bridge loop (protocol.md §4.2, §4.4: every call on a pooled connection of its worker, blocking I/O,
 * no Kong CPU between the calls). The threads run for a settle time first (connections opened, pools filled), then
 * for the measured window: events completed in the window, their latencies, and the server's CPU time and context
 * switches over the window. The Kong-paced mode is {@link PacedRun}; both share the window and the readings here.
 */
final class LoadRun {

    /**
     * The numbers of one run.
     *
     * @param events       events completed in the window
     * @param errors       events that failed (any KongException) in the window
     * @param seconds      the window
     * @param p50Micros    median event latency
     * @param p99Micros    99th percentile
     * @param p999Micros   99.9th percentile
     * @param cpuTicks     server CPU time (user + system) over the window, in clock ticks
     * @param rssKb        server VmRSS at the end of the window
     * @param firstError   the first error's text, or null
     * @param rpcs         RPC calls Kong sent in the window (the msgid counters of the emulated workers)
     * @param eventRpcs    the RPC calls of the events counted, or -1 when not counted per event (fast mode)
     * @param voluntary    the server's voluntary context switches over the window, all threads
     * @param nonvoluntary the server's nonvoluntary context switches over the window, all threads
     * @param kongCpu      CPU time of Kong's worker threads over the window divided by the window and the number of
     *                     workers (0..1), or NaN when not measured (fast mode)
     * @param connections  connections Kong opened during the run (settle time included), or -1 when not counted
     */
    record Result(long events, long errors, double seconds, double p50Micros, double p99Micros, double p999Micros,
                  long cpuTicks, long rssKb, String firstError, long rpcs, long eventRpcs, long voluntary,
                  long nonvoluntary, double kongCpu, long connections) {
        double eventsPerSecond() {
            return events / seconds;
        }

        /** @return server CPU microseconds per event */
        double cpuMicrosPerEvent() {
            return events == 0 ? 0 : cpuTicks * (1e6 / ProcStats.CLOCK_TICKS_PER_SECOND) / events;
        }

        /** @return the server's voluntary context switches per RPC */
        double voluntaryPerRpc() {
            return rpcs <= 0 ? Double.NaN : (double) voluntary / rpcs;
        }

        /** @return the server's nonvoluntary context switches per RPC */
        double nonvoluntaryPerRpc() {
            return rpcs <= 0 ? Double.NaN : (double) nonvoluntary / rpcs;
        }

        /** @return RPC calls per event: exact when counted per event, otherwise those of the window per event */
        double rpcsPerEvent() {
            if (events == 0) {
                return Double.NaN;
            }
            return (eventRpcs >= 0 ? eventRpcs : rpcs) / (double) events;
        }

        /** @return the Kong worker CPU as a percentage of one core per worker, NaN when not measured */
        double kongCpuPercent() {
            return kongCpu * 100;
        }
    }

    private LoadRun() {
    }

    /**
     * @param kong        Kong's side towards the server
     * @param pid         the server's pid (for /proc)
     * @param scenario    what each event does
     * @param concurrency requests in flight
     * @param settleMillis unmeasured time first
     * @param windowMillis the measured window
     * @return the numbers
     */
    static Result run(KongSide kong, long pid, Scenario scenario, int concurrency, long settleMillis,
                      long windowMillis) throws InterruptedException {
        Window window = new Window();
        Worker[] workers = new Worker[concurrency];
        Thread[] threads = new Thread[concurrency];
        for (int i = 0; i < concurrency; i++) {
            int worker = i % kong.workers();
            ConfiguredPlugin plugin = scenario == Scenario.CHURN
                    ? kong.emulator(worker).plugin(scenario.plugin(), KongSide.CONFIG)
                    : kong.plugin(worker, scenario.plugin());
            workers[i] = new Worker(kong, plugin, scenario, window, i);
            threads[i] = new Thread(workers[i], "kong-request-" + i);
            threads[i].setDaemon(true);
        }
        for (Thread t : threads) {
            t.start();
        }
        Readings readings = measure(window, pid, kong, settleMillis, windowMillis, new long[0]);
        for (Thread t : threads) {
            t.join(60_000);
        }
        Counts counts = new Counts();
        for (Worker w : workers) {
            counts.add(w.events, w.errors, -1, w.firstError, w.latencies);
        }
        return result(window, readings, counts);
    }

    /**
     * The server's readings at one end of the window.
     *
     * @param cpuTicks     utime + stime
     * @param voluntary    voluntary context switches, all threads
     * @param nonvoluntary nonvoluntary context switches, all threads
     * @param rpcs         the sum of the emulated workers' msgid counters
     * @param threadCpu    CPU nanoseconds of the given load-generator threads
     */
    record Snapshot(long cpuTicks, long voluntary, long nonvoluntary, long rpcs, long threadCpu) {
        static Snapshot take(long pid, KongSide kong, long[] threadIds) {
            long cpu = ProcStats.cpuTicks(pid);
            long[] cs = ProcStats.contextSwitches(pid);
            long rpcs = 0;
            for (int w = 0; w < kong.workers(); w++) {
                rpcs += kong.emulator(w).client().lastMsgid();
            }
            long threadCpu = 0;
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            for (long id : threadIds) {
                threadCpu += Math.max(0, mx.getThreadCpuTime(id));
            }
            return new Snapshot(cpu, cs[0], cs[1], rpcs, threadCpu);
        }
    }

    /** What {@link #measure} read: both ends of the window and the resident size at its end. */
    record Readings(Snapshot begin, Snapshot end, long rssKb, int threads) {
    }

    /**
     * Lets the load run for the settle time, then opens the window, reads the server's counters, lets it run for the
     * window, reads them again, closes the window and tells the load to stop.
     *
     * @param threadIds load-generator threads whose CPU time to read (the paced mode's worker loops), or none
     */
    static Readings measure(Window window, long pid, KongSide kong, long settleMillis, long windowMillis,
                            long[] threadIds) throws InterruptedException {
        Thread.sleep(settleMillis);
        Snapshot begin = Snapshot.take(pid, kong, threadIds);
        window.start = System.nanoTime();
        window.open = true;
        Thread.sleep(windowMillis);
        window.end = System.nanoTime();
        window.closed = true;
        Snapshot end = Snapshot.take(pid, kong, threadIds);
        long rss = ProcStats.rssKb(pid);
        window.stop = true;
        return new Readings(begin, end, rss, threadIds.length);
    }

    /** The load side's tallies, summed over threads or event loops. */
    static final class Counts {
        long events;
        long errors;
        long eventRpcs;
        long connections = -1;
        String firstError;
        final java.util.List<LongList> latencies = new java.util.ArrayList<>();

        /** @param eventRpcs the RPCs of the counted events, or -1 when not counted */
        void add(long events, long errors, long eventRpcs, String firstError, LongList latencies) {
            this.events += events;
            this.errors += errors;
            this.eventRpcs = eventRpcs < 0 ? -1 : this.eventRpcs + eventRpcs;
            if (this.firstError == null) {
                this.firstError = firstError;
            }
            this.latencies.add(latencies);
        }
    }

    static Result result(Window window, Readings r, Counts c) {
        int n = 0;
        for (LongList l : c.latencies) {
            n += l.size;
        }
        long[] all = new long[n];
        int at = 0;
        for (LongList l : c.latencies) {
            System.arraycopy(l.values, 0, all, at, l.size);
            at += l.size;
        }
        Arrays.sort(all);
        double seconds = (window.end - window.start) / 1e9;
        double kongCpu = r.threads() == 0 ? Double.NaN
                : (r.end().threadCpu() - r.begin().threadCpu()) / ((window.end - window.start) * (double) r.threads());
        return new Result(c.events, c.errors, seconds, percentile(all, 0.50), percentile(all, 0.99),
                percentile(all, 0.999), r.end().cpuTicks() - r.begin().cpuTicks(), r.rssKb(), c.firstError,
                r.end().rpcs() - r.begin().rpcs(), c.eventRpcs, r.end().voluntary() - r.begin().voluntary(),
                r.end().nonvoluntary() - r.begin().nonvoluntary(), kongCpu, c.connections);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
    }

    /** The measured window, as the load threads see it. */
    static final class Window {
        volatile boolean open;
        volatile boolean closed;
        volatile boolean stop;
        volatile long start;
        volatile long end;

        /** @return whether an event starting now is measured (it must also end before the window closes) */
        boolean counting() {
            return open && !closed;
        }
    }

    private static final class Worker implements Runnable {
        private final KongSide kong;
        private final ConfiguredPlugin plugin;
        private final Scenario scenario;
        private final Window window;
        private final int index;
        private final LongList latencies = new LongList();
        private long events;
        private long errors;
        private String firstError;

        Worker(KongSide kong, ConfiguredPlugin plugin, Scenario scenario, Window window, int index) {
            this.kong = kong;
            this.plugin = plugin;
            this.scenario = scenario;
            this.window = window;
            this.index = index;
        }

        @Override
        public void run() {
            long seq = 0;
            while (!window.stop) {
                if (scenario == Scenario.CHURN && seq % Scenario.CHURN_EVERY == 0) {
                    // an Admin API change of this request's plugin entity: the next event starts a new instance
                    // with the new config and closes the old one (Kong's get_instance_id)
                    plugin.setConfig(KongSide.churnConfig(index, seq));
                }
                seq++;
                boolean counted = window.counting();
                long t0 = System.nanoTime();
                String error = null;
                try {
                    plugin.handleEvent(scenario.phase(), kong.pdk());
                } catch (KongException | IllegalStateException e) {
                    error = e.toString();
                }
                long t1 = System.nanoTime();
                if (counted && !window.closed) {
                    if (error == null) {
                        events++;
                        latencies.add(t1 - t0);
                    } else {
                        errors++;
                        if (firstError == null) {
                            firstError = error;
                        }
                    }
                }
            }
        }
    }

    /** A growable long array. */
    static final class LongList {
        long[] values = new long[16 * 1024];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }
}
