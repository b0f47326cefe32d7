package io.kjps.bench;

import io.kjps.emulator.KongException;
import io.kjps.emulator.KongPlugin;
import java.util.Arrays;

/**
 * One measurement: {@code concurrency} requests in flight, each a thread that runs events back to back through
 * Kong's bridge loop (SPEC §4.2, §4.4: every call on a pooled connection of its worker). The threads run for a
 * settle time first (connections opened, pools filled), then for the measured window: events completed in the
 * window, their latencies, and the server's CPU time over the window.
 */
final class LoadRun {

    /**
     * The numbers of one run.
     *
     * @param events      events completed in the window
     * @param errors      events that failed (any KongException) in the window
     * @param seconds     the window
     * @param p50Micros   median event latency
     * @param p99Micros   99th percentile
     * @param p999Micros  99.9th percentile
     * @param cpuTicks    server CPU time (user + system) over the window, in clock ticks
     * @param rssKb       server VmRSS at the end of the window
     * @param firstError  the first error's text, or null
     */
    record Result(long events, long errors, double seconds, double p50Micros, double p99Micros, double p999Micros,
                  long cpuTicks, long rssKb, String firstError) {
        double eventsPerSecond() {
            return events / seconds;
        }

        /** @return server CPU microseconds per event */
        double cpuMicrosPerEvent() {
            return events == 0 ? 0 : cpuTicks * (1e6 / ProcStats.CLOCK_TICKS_PER_SECOND) / events;
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
            KongPlugin plugin = scenario == Scenario.CHURN
                    ? kong.emulator(worker).plugin(scenario.plugin(), KongSide.CONFIG)
                    : kong.plugin(worker, scenario.plugin());
            workers[i] = new Worker(kong, plugin, scenario, window, i);
            threads[i] = new Thread(workers[i], "kong-request-" + i);
            threads[i].setDaemon(true);
        }
        for (Thread t : threads) {
            t.start();
        }
        Thread.sleep(settleMillis);
        long cpu0 = ProcStats.cpuTicks(pid);
        window.start = System.nanoTime();
        window.open = true;
        Thread.sleep(windowMillis);
        window.end = System.nanoTime();
        window.closed = true;
        long cpu1 = ProcStats.cpuTicks(pid);
        long rss = ProcStats.rssKb(pid);
        window.stop = true;
        for (Thread t : threads) {
            t.join(60_000);
        }
        long events = 0;
        long errors = 0;
        String firstError = null;
        int n = 0;
        for (Worker w : workers) {
            events += w.events;
            errors += w.errors;
            n += w.latencies.size;
            if (firstError == null) {
                firstError = w.firstError;
            }
        }
        long[] all = new long[n];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies.values, 0, all, at, w.latencies.size);
            at += w.latencies.size;
        }
        Arrays.sort(all);
        double seconds = (window.end - window.start) / 1e9;
        return new Result(events, errors, seconds, percentile(all, 0.50), percentile(all, 0.99),
                percentile(all, 0.999), cpu1 - cpu0, rss, firstError);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
    }

    private static final class Window {
        volatile boolean open;
        volatile boolean closed;
        volatile boolean stop;
        volatile long start;
        volatile long end;
    }

    private static final class Worker implements Runnable {
        private final KongSide kong;
        private final KongPlugin plugin;
        private final Scenario scenario;
        private final Window window;
        private final int index;
        private final LongList latencies = new LongList();
        private long events;
        private long errors;
        private String firstError;

        Worker(KongSide kong, KongPlugin plugin, Scenario scenario, Window window, int index) {
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
                    plugin.setConfig("{\"greeting\":\"hello\",\"__seq__\":" + (index * 1_000_000_000L + seq) + "}");
                }
                seq++;
                boolean counted = window.open && !window.closed;
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
