package io.kjps.bench;

import io.kjps.emulator.ConfiguredPlugin;
import io.kjps.emulator.KongException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak run of BENCHMARKS.md (issue 6): our server started once, continuous mixed load from the Kong emulator for
 * a bounded time (requests doing {@code hello}, {@code exit} and {@code churn}, the last replacing its plugin
 * instance with {@code StartInstance} + {@code CloseInstance} every {@value Scenario#CHURN_EVERY}th event), and every
 * interval a sample of the server's resident memory and thread count ({@code /proc/<pid>/status}), its live heap
 * (after a full GC forced with {@code jcmd <pid> GC.run}, read with {@code GC.heap_info} in the same attach), the events completed and
 * the errors. Prints the table and a verdict: live heap and threads of the last third of the run against the first
 * third. See {@code bench/soak.sh} for the arguments; never run by {@code mvn verify}.
 */
public final class SoakMain {

    /**
     * Live heap: the last third's lowest reading may exceed the first third's by this fraction ... (the lowest, as
     * whatever the requests in flight allocate between the full GC and the reading only adds to it, while a leak
     * raises every reading)
     */
    static final double HEAP_TOLERANCE = 0.10;
    /** ... or by this many kB, whichever is larger. */
    static final long HEAP_TOLERANCE_KB = 1024;
    /** Threads: the last third's maximum may exceed the first third's by this many. */
    static final int THREAD_TOLERANCE = 2;

    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private final Map<String, String> opts;
    private final long t0 = System.nanoTime();
    private Path jcmdCommands;

    private SoakMain(Map<String, String> opts) {
        this.opts = opts;
    }

    /**
     * One sample.
     *
     * @param seconds   since the load started
     * @param rssKb     VmRSS
     * @param threads   Threads of /proc/PID/status
     * @param liveHeapKb heap used right after a full GC, -1 if jcmd failed
     * @param events    events completed so far
     * @param errors    errors so far
     */
    record Sample(double seconds, long rssKb, long threads, long liveHeapKb, long events, long errors) {
    }

    /**
     * @param args {@code --name value} pairs, see {@code bench/soak.sh}
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        SoakMain soak = new SoakMain(opts);
        String report = soak.run();
        String out = opts.get("out");
        if (out != null) {
            Files.writeString(Path.of(out), report, StandardCharsets.UTF_8);
        }
        System.out.println(report);
        System.exit(report.contains("**flat**") ? 0 : 1);
    }

    private String opt(String name, String def) {
        return opts.getOrDefault(name, def);
    }

    private void say(String line) {
        System.err.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - t0) / 1e9, line);
    }

    String run() throws Exception {
        Path work = Path.of(opt("work", "/tmp/kjps-soak"));
        String java = opts.get("java");
        String dist = opts.get("dist");
        if (java == null || dist == null) {
            throw new IllegalArgumentException("--java and --dist are required");
        }
        String jcmd = opt("jcmd", Path.of(java).resolveSibling("jcmd").toString());
        Path deploy = Path.of(opt("deploy", "bench/target/deploy"));
        long seconds = Long.parseLong(opt("seconds", "180"));
        long interval = Long.parseLong(opt("interval", "10"));
        int concurrency = Integer.parseInt(opt("concurrency", "16"));
        int workers = Integer.parseInt(opt("workers", "2"));

        Path dir = work.resolve("soak");
        Files.createDirectories(dir);
        jcmdCommands = Files.writeString(dir.resolve("live-heap.jcmd"), "GC.run\nGC.heap_info\n");
        Map<String, String> env = new HashMap<>();
        env.put("KONG_JAVA_PLUGINSERVER_JAVA", java);
        env.put("KONG_JAVA_PLUGINSERVER_OPTS", ("-Xlog:gc:file=" + dir.resolve("gc.log") + ":uptime "
                + opt("server-opts", "")).trim());
        ServerUnderTest server = new ServerUnderTest("soak", List.of(Path.of(dist, "bin", "kong-java-pluginserver")
                .toString(), "-kong-prefix", dir.toString(), "-deploy", deploy.toString()), env,
                dir.resolve("kong-java-pluginserver.socket"), dir, null);

        Instant began = Instant.now();
        List<Sample> samples = new ArrayList<>();
        LongAdder events = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        Map<Scenario, LongAdder> byScenario = new java.util.EnumMap<>(Scenario.class);
        for (Scenario sc : new Scenario[] {Scenario.HELLO, Scenario.EXIT, Scenario.CHURN}) {
            byScenario.put(sc, new LongAdder());
        }
        LongAdder replacements = new LongAdder();
        Counter counter = new Counter(events, errors, firstError, byScenario, replacements);
        stopping = false;
        say("starting our server (" + java + ")");
        server.start(workers);
        long pid = server.pid();
        try {
            KongSide kong = new KongSide(server.pools());
            kong.validate("soak");
            samples.add(sample(0, pid, jcmd, 0, 0));
            say(format(samples.get(0)));
            Scenario[] mix = {Scenario.HELLO, Scenario.EXIT, Scenario.CHURN};
            for (int i = 0; i < concurrency; i++) {
                Scenario sc = mix[i % mix.length];
                int worker = i % kong.workers();
                ConfiguredPlugin plugin = sc == Scenario.CHURN
                        ? kong.emulator(worker).plugin(sc.plugin(), KongSide.CONFIG)
                        : kong.plugin(worker, sc.plugin());
                int index = i;
                Thread t = new Thread(() -> request(kong, plugin, sc, index, counter), "kong-request-" + i);
                t.setDaemon(true);
                threads.add(t);
            }
            long start = System.nanoTime();
            threads.forEach(Thread::start);
            for (long k = 1; k * interval <= seconds; k++) {
                long due = start + TimeUnit.SECONDS.toNanos(k * interval);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                Sample s = sample((System.nanoTime() - start) / 1e9, pid, jcmd, events.sum(), errors.sum());
                samples.add(s);
                say(format(s));
                if (!server.isAlive()) {
                    throw new IOException("the server exited during the soak, see " + dir.resolve("server.log"));
                }
            }
        } finally {
            stopping = true;
            for (Thread t : threads) {
                t.join(30_000);
            }
            server.stop();
            say("stopped the server");
        }
        String machine = opts.get("machine");
        String report = report(samples, firstError.get(), machine, concurrency, workers, seconds, interval, began);
        return report + String.format(Locale.ROOT, "Events by scenario: hello %d, exit %d, churn %d (%d instance"
                        + " replacements, each a StartInstance and a CloseInstance).%n", byScenario.get(Scenario.HELLO)
                        .sum(), byScenario.get(Scenario.EXIT).sum(), byScenario.get(Scenario.CHURN).sum(),
                replacements.sum());
    }

    private static volatile boolean stopping;

    private record Counter(LongAdder events, LongAdder errors, AtomicReference<String> firstError,
                           Map<Scenario, LongAdder> byScenario, LongAdder replacements) {
    }

    private static void request(KongSide kong, ConfiguredPlugin plugin, Scenario scenario, int index, Counter c) {
        long seq = 0;
        while (!stopping) {
            if (scenario == Scenario.CHURN && seq % Scenario.CHURN_EVERY == 0) {
                // an Admin API change of this request's plugin entity: the next event starts a new instance and
                // closes the old one (Kong's get_instance_id)
                plugin.setConfig("{\"greeting\":\"hello\",\"__seq__\":" + (index * 1_000_000_000L + seq) + "}");
                c.replacements().increment();
            }
            seq++;
            try {
                plugin.handleEvent(scenario.phase(), kong.pdk());
                c.events().increment();
                c.byScenario().get(scenario).increment();
            } catch (KongException | IllegalStateException e) {
                if (stopping) {
                    return;
                }
                c.errors().increment();
                c.firstError().compareAndSet(null, e.toString());
            }
        }
    }

    private Sample sample(double seconds, long pid, String jcmd, long events, long errors) {
        long live = liveHeapKb(jcmd, pid, jcmdCommands);
        return new Sample(seconds, ProcStats.rssKb(pid), threads(pid), live, events, errors);
    }

    /** @return Threads of /proc/PID/status, -1 when the process is gone */
    static long threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /**
     * {@code jcmd PID GC.run} then {@code GC.heap_info}, both in one attach ({@code jcmd PID -f FILE}) so that little
     * is allocated between the full GC and the reading: the heap in use after it, or -1 on failure.
     */
    private long liveHeapKb(String jcmd, long pid, Path commands) {
        try {
            return heapUsedKb(jcmd(jcmd, pid, commands));
        } catch (IOException e) {
            say("jcmd failed: " + e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String jcmd(String jcmd, long pid, Path commands) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "-f", commands.toString()).redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(jcmd + " " + pid + " -f " + commands + ": " + new String(out,
                    StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /**
     * @param heapInfo the output of {@code jcmd PID GC.heap_info} (serial, parallel or G1)
     * @return the sum of "used" over the heap's generations (not Metaspace), in kB; -1 if none is found
     */
    static long heapUsedKb(String heapInfo) {
        Matcher m = HEAP_USED.matcher(heapInfo);
        long sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
            found = true;
        }
        return found ? sum : -1;
    }

    private static String format(Sample s) {
        return String.format(Locale.ROOT, "t %5.0f s  rss %7d kB  threads %3d  live heap %6d kB  events %,11d"
                + "  errors %d", s.seconds(), s.rssKb(), s.threads(), s.liveHeapKb(), s.events(), s.errors());
    }

    /**
     * The table and the verdict. Samples after the first (the one before the load) are split in thirds.
     */
    static String report(List<Sample> samples, String firstError, String machine, int concurrency, int workers,
                         long seconds, long interval, Instant began) {
        StringBuilder md = new StringBuilder();
        if (machine != null) {
            md.append("Machine: ").append(machine).append("\n\n");
        }
        md.append("| t (s) | server RSS kB | threads | live heap kB (after full GC) | events | events/s in the"
                + " interval | errors |\n|---|---|---|---|---|---|---|\n");
        Sample prev = null;
        for (Sample s : samples) {
            String rate = prev == null ? "–" : String.format(Locale.ROOT, "%.0f",
                    (s.events() - prev.events()) / (s.seconds() - prev.seconds()));
            md.append(String.format(Locale.ROOT, "| %.0f | %d | %d | %d | %d | %s | %d |\n", s.seconds(), s.rssKb(),
                    s.threads(), s.liveHeapKb(), s.events(), rate, s.errors()));
            prev = s;
        }
        List<Sample> loaded = samples.subList(Math.min(1, samples.size()), samples.size());
        int third = loaded.size() / 3;
        Sample last = samples.get(samples.size() - 1);
        if (third == 0) {
            md.append("\nVerdict: too few samples for a verdict (need at least 3 under load).\n");
            return md.toString();
        }
        List<Sample> first = loaded.subList(0, third);
        List<Sample> end = loaded.subList(loaded.size() - third, loaded.size());
        double heapFirst = first.stream().mapToLong(Sample::liveHeapKb).min().orElse(-1);
        double heapLast = end.stream().mapToLong(Sample::liveHeapKb).min().orElse(-1);
        double heapFirstMedian = median(first, Sample::liveHeapKb);
        double heapLastMedian = median(end, Sample::liveHeapKb);
        long threadsFirst = first.stream().mapToLong(Sample::threads).max().orElse(-1);
        long threadsLast = end.stream().mapToLong(Sample::threads).max().orElse(-1);
        double rssFirst = median(first, Sample::rssKb);
        double rssLast = median(end, Sample::rssKb);
        boolean heapFlat = heapFirst > 0 && heapLast <= Math.max(heapFirst * (1 + HEAP_TOLERANCE),
                heapFirst + HEAP_TOLERANCE_KB);
        boolean threadsFlat = threadsFirst > 0 && threadsLast <= threadsFirst + THREAD_TOLERANCE;
        boolean noErrors = last.errors() == 0;
        md.append(String.format(Locale.ROOT, "%nFirst third (%d samples) → last third (%d samples):"
                        + " live heap lowest %.0f → %.0f kB (%+.1f %%; median %.0f → %.0f kB), threads max %d → %d, RSS median %.0f → %.0f kB"
                        + " (%+.1f %%, not judged: the heap may grow towards its cap). %d events, %.0f events/s on"
                        + " average, %d errors%s.%n",
                third, third, heapFirst, heapLast, 100 * (heapLast - heapFirst) / heapFirst, heapFirstMedian,
                heapLastMedian, threadsFirst,
                threadsLast, rssFirst, rssLast, 100 * (rssLast - rssFirst) / rssFirst, last.events(),
                last.events() / last.seconds(), last.errors(), firstError == null ? "" : " (first: " + firstError + ")"));
        md.append(String.format(Locale.ROOT, "%nVerdict: %s. Tolerance: the last third's lowest live heap at most"
                        + " %.0f %% or %d kB (whichever is larger) above the first third's, its highest thread count"
                        + " at most %d above the first third's, no errors. Live heap %s, threads %s, errors %s.%n",
                heapFlat && threadsFlat && noErrors ? "**flat**" : "**NOT flat**", HEAP_TOLERANCE * 100,
                HEAP_TOLERANCE_KB, THREAD_TOLERANCE, heapFlat ? "flat" : "GREW", threadsFlat ? "flat" : "GREW",
                noErrors ? "none" : "SOME"));
        md.append(String.format(Locale.ROOT, "%nSoak: %d s of load (%d concurrent requests: hello, exit and churn in"
                        + " turn; %d emulated Nginx workers), a sample every %d s, started %s.%n", seconds, concurrency,
                workers, interval, began.truncatedTo(ChronoUnit.SECONDS)));
        return md.toString();
    }

    private static double median(List<Sample> samples, java.util.function.ToLongFunction<Sample> f) {
        List<Double> v = new ArrayList<>();
        for (Sample s : samples) {
            v.add((double) f.applyAsLong(s));
        }
        return BenchMain.median(v);
    }
}
