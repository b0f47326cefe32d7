package io.kjps.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark of BENCHMARKS.md, one process: starts the servers (floor, JavaScript reference, ours on JDK 17 and on
 * JDK 21+), plays Kong against them with the same scenarios, alternating servers run by run, and prints the tables:
 * Kong-paced ({@link PacedRun}: an event loop per emulated Nginx worker, Kong's CPU per RPC, {@code --workers 1,2})
 * and fast ({@link LoadRun}: a thread per request, blocking I/O), {@code --mode paced|fast|both}. See
 * {@code bench/run.sh} for the arguments it is given.
 */
public final class BenchMain {

    private final Map<String, String> opts;
    private final Path work;
    private final List<String> serverNames;
    private final List<Scenario> scenarios = new ArrayList<>();
    private final int[] concurrency;
    private final int runs;
    private final long windowMillis;
    private final long settleMillis;
    private final long warmupMillis;
    /** Emulated Nginx worker counts of the paced mode; the fast mode uses the largest. */
    private final int[] workerCounts;
    private final int workers;
    private final boolean fast;
    private final boolean paced;
    private final long rpcCpuNanos;

    private BenchMain(Map<String, String> opts) throws IOException {
        this.opts = opts;
        this.work = Path.of(opt("work", "/tmp/kjps-bench"));
        this.serverNames = List.of(opt("servers", "floor,js,java17,java25").split(","));
        for (String s : opt("scenarios", "hello,headers,exit,log,churn").split(",")) {
            scenarios.add(Scenario.of(s));
        }
        this.concurrency = Arrays.stream(opt("concurrency", "1,16,64").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        this.runs = Integer.parseInt(opt("runs", "5"));
        this.windowMillis = Long.parseLong(opt("window-ms", "800"));
        this.settleMillis = Long.parseLong(opt("settle-ms", "200"));
        this.warmupMillis = Long.parseLong(opt("warmup-ms", "1000"));
        this.workerCounts = Arrays.stream(opt("workers", "1,2").split(",")).mapToInt(Integer::parseInt).toArray();
        this.workers = Arrays.stream(workerCounts).max().orElse(2);
        String mode = opt("mode", "both");
        if (!List.of("both", "fast", "paced").contains(mode)) {
            throw new IllegalArgumentException("--mode is paced, fast or both, not " + mode);
        }
        this.fast = !mode.equals("paced");
        this.paced = !mode.equals("fast");
        this.rpcCpuNanos = Math.round(Double.parseDouble(opt("rpc-cpu-us",
                Long.toString(PacedRun.DEFAULT_RPC_CPU_MICROS))) * 1000);
        Files.createDirectories(work);
    }

    /**
     * @param args {@code --name value} pairs, see {@code bench/run.sh}
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        String report = new BenchMain(opts).run();
        String out = opts.get("out");
        if (out != null) {
            Files.writeString(Path.of(out), report);
        }
        String doc = opts.get("doc");
        if (doc != null) {
            updateDoc(Path.of(doc), report);
        }
        System.out.println(report);
        System.exit(0);
    }

    static final String BEGIN = "<!-- bench:results:begin (written by bench/run.sh --doc) -->";
    static final String END = "<!-- bench:results:end -->";

    /** Replaces the text between {@link #BEGIN} and {@link #END} of a document with the report. */
    static void updateDoc(Path doc, String report) throws IOException {
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b < 0 || e < b) {
            throw new IOException(doc + " has no " + BEGIN + " ... " + END + " section");
        }
        Files.writeString(doc, text.substring(0, b + BEGIN.length()) + "\n\n" + report.strip() + "\n\n"
                + text.substring(e), StandardCharsets.UTF_8);
    }

    /**
     * @param opts the options of {@link #main}, without the dashes
     * @return a benchmark ready to {@link #run()}
     */
    static BenchMain create(Map<String, String> opts) throws IOException {
        return new BenchMain(opts);
    }

    private String opt(String name, String def) {
        return opts.getOrDefault(name, def);
    }

    private final long t0 = System.nanoTime();

    private void say(String line) {
        System.err.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - t0) / 1e9, line);
    }

    /**
     * Everything: the comparison (Kong-paced and fast), then the start-up figures; with {@code --only startup} the
     * start-up and crash tables alone.
     */
    String run() throws Exception {
        if (opt("only", "").equals("startup")) { // --only startup: the start-up and crash tables alone
            return startup();
        }
        Instant began = Instant.now();
        List<ServerUnderTest> servers = new ArrayList<>();
        Map<String, KongSide> kong = new LinkedHashMap<>();
        Map<String, Double> steadyFrom = new HashMap<>();
        // results[server][scenario/conc] = runs (fast); pacedResults[server][scenario/conc/workers] = runs
        Map<String, Map<String, List<LoadRun.Result>>> results = new LinkedHashMap<>();
        Map<String, Map<String, List<LoadRun.Result>>> pacedResults = new LinkedHashMap<>();
        try {
            for (String name : serverNames) {
                ServerUnderTest s = server(name);
                if (s == null) {
                    say("skipping " + name + " (not configured)");
                    continue;
                }
                say("starting " + name);
                s.start(workers);
                servers.add(s);
                KongSide side = new KongSide(s.pools());
                side.validate(name);
                kong.put(name, side);
                results.put(name, new LinkedHashMap<>());
                pacedResults.put(name, new LinkedHashMap<>());
            }
            // how a fresh server reaches its steady throughput: Kong-paced hello at 16 in short windows, from the start
            int curveSeconds = Integer.parseInt(opt("warmup-curve-s", "8"));
            if (curveSeconds > 0) {
                for (ServerUnderTest s : servers) {
                    warmupCurves.put(s.name(), warmupCurve(kong.get(s.name()), s, curveSeconds));
                }
            }
            // warm-up: every scenario on every server, at the highest concurrency
            int warmConc = Arrays.stream(concurrency).max().orElse(16);
            long warmEach = warmupMillis / scenarios.size() / (fast && paced ? 2 : 1);
            for (ServerUnderTest s : servers) {
                for (Scenario sc : scenarios) {
                    if (fast) {
                        LoadRun.run(kong.get(s.name()), s.pid(), sc, warmConc, 0, warmEach);
                    }
                    if (paced) {
                        PacedRun.run(kong.get(s.name()), s.pid(), sc, warmConc, workers, rpcCpuNanos, 0, warmEach);
                    }
                }
                steadyFrom.put(s.name(), (System.nanoTime() - s.startNanos()) / 1e9);
                say("warmed up " + s.name());
            }
            for (int r = 0; r < runs; r++) {
                for (Scenario sc : scenarios) {
                    for (int c : concurrency) {
                        if (paced) {
                            for (int w : workerCounts) {
                                for (int k = 0; k < servers.size(); k++) {
                                    ServerUnderTest s = servers.get((k + r) % servers.size()); // alternate the order
                                    LoadRun.Result res = PacedRun.run(kong.get(s.name()), s.pid(), sc, c, w,
                                            rpcCpuNanos, settleMillis, windowMillis);
                                    pacedResults.get(s.name()).computeIfAbsent(key(sc, c, w), x -> new ArrayList<>())
                                            .add(res);
                                    sayRun(r, "paced/" + w, sc, c, s, res);
                                }
                            }
                        }
                        if (fast) {
                            for (int k = 0; k < servers.size(); k++) {
                                ServerUnderTest s = servers.get((k + r) % servers.size()); // alternate the order
                                LoadRun.Result res = LoadRun.run(kong.get(s.name()), s.pid(), sc, c, settleMillis,
                                        windowMillis);
                                results.get(s.name()).computeIfAbsent(key(sc, c), x -> new ArrayList<>()).add(res);
                                sayRun(r, "fast", sc, c, s, res);
                            }
                        }
                    }
                }
            }
        } finally {
            for (ServerUnderTest s : servers) {
                s.stop();
                say("stopped " + s.name());
            }
        }
        Map<String, GcLog.Pauses> pauses = new LinkedHashMap<>();
        for (ServerUnderTest s : servers) {
            if (s.gcLog() != null) {
                pauses.put(s.name(), GcLog.since(s.gcLog(), steadyFrom.get(s.name())));
            }
        }
        StringBuilder md = new StringBuilder();
        if (opts.containsKey("machine")) {
            md.append("Machine: ").append(opts.get("machine")).append("\n\n");
        }
        if (paced) {
            pacedTable(md, pacedResults);
            pacedRatios(md, pacedResults);
        }
        if (fast) {
            if (paced) {
                md.append("\n### Fast mode: a thread per request, blocking I/O, no Kong CPU between the calls\n\n");
            }
            table(md, results);
            ratios(md, results);
        }
        warmup(md);
        gc(md, pauses);
        String startup = startup();
        md.append(startup);
        md.append("\nWhole run: ").append(Instant.now().getEpochSecond() - began.getEpochSecond()).append(" s, finished ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(". ").append(runs)
                .append(" runs per cell, each ").append(settleMillis).append(" ms settle + ").append(windowMillis)
                .append(" ms measured");
        if (paced) {
            md.append("; Kong-paced: ").append(Arrays.toString(workerCounts).replaceAll("[\\[\\] ]", ""))
                    .append(" emulated Nginx workers, ").append(fmt(rpcCpuNanos / 1000.0)).append(" µs of Kong CPU per RPC");
        }
        if (fast) {
            md.append("; fast: ").append(workers).append(" emulated Nginx workers");
        }
        md.append(".\n");
        return md.toString();
    }

    private final Map<String, double[]> warmupCurves = new LinkedHashMap<>();
    private static final long CURVE_WINDOW_MS = 250;

    /** Events/s of consecutive windows of Kong-paced hello at 16 (1 worker) on a server that has just started. */
    private double[] warmupCurve(KongSide side, ServerUnderTest s, int seconds) throws Exception {
        int n = (int) (seconds * 1000 / CURVE_WINDOW_MS);
        double[] curve = new double[n];
        for (int i = 0; i < n; i++) {
            curve[i] = PacedRun.run(side, s.pid(), Scenario.HELLO, 16, 1, rpcCpuNanos, 0, CURVE_WINDOW_MS)
                    .eventsPerSecond();
        }
        say("warm-up curve " + s.name() + " " + Arrays.toString(Arrays.stream(curve).mapToLong(Math::round)
                .toArray()));
        return curve;
    }

    private void warmup(StringBuilder md) {
        if (warmupCurves.isEmpty()) {
            return;
        }
        md.append("\n### Warm-up: a fresh server under Kong-paced `hello` at 16 (1 worker), ").append(CURVE_WINDOW_MS)
                .append(" ms windows from its first event\n\n");
        md.append("| server | first window events/s | steady events/s (median of the last 8 windows) | reaches 90 % of "
                + "steady and stays, after |\n|---|---|---|---|\n");
        for (Map.Entry<String, double[]> e : warmupCurves.entrySet()) {
            double[] c = e.getValue();
            double[] tail = Arrays.copyOfRange(c, Math.max(0, c.length - 8), c.length);
            Arrays.sort(tail);
            double steady = tail[tail.length / 2];
            int from = c.length;
            for (int i = c.length - 1; i >= 0 && c[i] >= 0.9 * steady; i--) {
                from = i;
            }
            md.append("| ").append(e.getKey()).append(" | ").append(Math.round(c[0])).append(" | ")
                    .append(Math.round(steady)).append(" | ")
                    .append(fmt(from * CURVE_WINDOW_MS / 1000.0)).append(" s |\n");
        }
    }

    private static String key(Scenario s, int c) {
        return s.id() + "/" + c;
    }

    private static String key(Scenario s, int c, int workers) {
        return s.id() + "/" + c + "/" + workers;
    }

    private void sayRun(int r, String mode, Scenario sc, int c, ServerUnderTest s, LoadRun.Result res) {
        say(String.format(Locale.ROOT, "run %d %-7s %-7s %-4d %-7s %9.0f ev/s p50 %7.0f p99 %7.0f p99.9 %7.0f us"
                        + " cpu %6.1f us/ev cs/rpc %.2f+%.2f rpc/ev %.2f%s%s rss %4d MB errors %d%s", r + 1, mode,
                sc.id(), c, s.name(), res.eventsPerSecond(), res.p50Micros(), res.p99Micros(), res.p999Micros(),
                res.cpuMicrosPerEvent(), res.voluntaryPerRpc(), res.nonvoluntaryPerRpc(), res.rpcsPerEvent(),
                Double.isNaN(res.kongCpu()) ? "" : String.format(Locale.ROOT, " kong %.0f%%", res.kongCpuPercent()),
                res.connections() < 0 ? "" : " conns " + res.connections(),
                res.rssKb() / 1024, res.errors(), res.firstError() == null ? "" : " (" + res.firstError() + ")"));
    }

    private ServerUnderTest server(String name) {
        Path dir = work.resolve(name);
        switch (name) {
            case "floor", "floor-selector": {
                // floor-selector: the same floor with one selector thread for all connections
                String java = opt("floor-java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
                List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx64m", "-cp",
                        System.getProperty("java.class.path"), FloorServer.class.getName(),
                        dir.resolve("floor.sock").toString()));
                if (name.equals("floor-selector")) {
                    cmd.add("--selector");
                }
                return new ServerUnderTest(name, cmd, Map.of(), dir.resolve("floor.sock"), dir, null);
            }
            case "js": {
                String js = opts.get("js-pluginserver");
                if (js == null) {
                    return null;
                }
                return new ServerUnderTest(name, List.of(opt("node", "node"), js, "--plugins-directory",
                        opt("js-plugins", "bench/js-plugins"), "--kong-prefix", dir.toString(), "--sock-name",
                        "bench.sock"), Map.of(), dir.resolve("bench.sock"), dir, null);
            }
            default: {
                if (!name.startsWith("java")) {
                    throw new IllegalArgumentException("unknown server " + name);
                }
                // java17-nometrics: our server on --java17 with metrics off, for the cost of metrics
                boolean noMetrics = name.endsWith(NO_METRICS);
                String java = opts.get(noMetrics ? name.substring(0, name.length() - NO_METRICS.length()) : name);
                if (java == null || opts.get("dist") == null) {
                    return null;
                }
                return ours(name, java, dir, Path.of(opt("deploy", "bench/target/deploy")),
                        (opt("server-opts", "") + (noMetrics ? " -Dkjps.metrics=false" : "")).trim());
            }
        }
    }

    /** The suffix of a server name that runs our server with {@code -Dkjps.metrics=false}. */
    private static final String NO_METRICS = "-nometrics";

    private ServerUnderTest ours(String name, String java, Path dir, Path deploy, String extraOpts) {
        // %p: the keeper and the server process are two JVMs; each writes its own log, the server's is read
        Path gc = dir.resolve("gc-%p.log");
        Map<String, String> env = new HashMap<>();
        env.put("KONG_JAVA_PLUGINSERVER_JAVA", java);
        env.put("KONG_JAVA_PLUGINSERVER_OPTS", ("-Xlog:gc:file=" + gc + ":uptime " + extraOpts).trim());
        Path bin = Path.of(opts.get("dist"), "bin", "kong-java-pluginserver");
        return new ServerUnderTest(name, List.of(bin.toString(), "-kong-prefix", dir.toString(), "-deploy",
                deploy.toString()), env, dir.resolve("kong-java-pluginserver.socket"), dir, gc);
    }

    // ---------------------------------------------------------------------------------------------------------
    // start-up, -dump and memory with 10 bundles

    private String startup() throws Exception {
        int n = Integer.parseInt(opt("startup-runs", "5"));
        String bundle = opts.get("bench-bundle");
        if (n <= 0 || bundle == null || opts.get("dist") == null) {
            return "";
        }
        Path deploy10 = work.resolve("deploy10");
        deleteTree(deploy10);
        List<String> plugins = Variants.write(Path.of(bundle), deploy10, 10);
        StringBuilder md = new StringBuilder();
        md.append("\n### Start-up, -dump and memory with 10 bundles (").append(plugins.size())
                .append(" plugins), median of ").append(n).append("\n\n")
                .append("| JVM | start to socket accepting | start to first event answered | start to all plugins served"
                        + " | `-dump` | RSS after 1 s of hello at 16 |\n|---|---|---|---|---|---|\n");
        List<String[]> rows = new ArrayList<>(); // {server, row label, extra JVM options}
        for (String name : serverNames) {
            if (name.startsWith("java") && opts.get(name) != null) {
                rows.add(new String[] {name, name, ""});
                if (!name.equals("java17")) { // Java 17 has no auto-created class-data archive to turn off
                    rows.add(new String[] {name, name + ", no class-data archive", "-Dkjps.cds=false"});
                }
            }
        }
        for (String[] row : rows) {
            String name = row[0];
            List<Double> ready = new ArrayList<>();
            List<Double> first = new ArrayList<>();
            List<Double> served = new ArrayList<>();
            List<Double> dump = new ArrayList<>();
            List<Double> rss = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Path dir = work.resolve(name + "-start");
                deleteTree(dir);
                ServerUnderTest s = ours(name, opts.get(name), dir, deploy10, row[2]);
                s.start(workers);
                try {
                    ready.add(s.readySeconds());
                    KongSide side = new KongSide(s.pools());
                    // sent as soon as the socket accepts: it waits for the plugins, as Kong's first call would
                    KongSide firstVariant = new KongSide(s.pools(), "-v1");
                    firstVariant.plugin(0, Scenario.HELLO.plugin()).handleEvent(Scenario.HELLO.phase(),
                            firstVariant.pdk());
                    first.add((System.nanoTime() - s.startNanos()) / 1e9);
                    for (String p : plugins) {
                        side.emulator(0).startInstance(p, KongSide.CONFIG);
                    }
                    served.add((System.nanoTime() - s.startNanos()) / 1e9);
                    // load on the last variant's bench-hello, then read the resident size
                    LoadRun.run(new KongSide(s.pools(), "-v10"), s.pid(), Scenario.HELLO, 16, 0, 1000);
                    rss.add(ProcStats.rssKb(s.pid()) / 1024.0);
                } finally {
                    s.stop();
                }
                dump.add(dumpSeconds(name, deploy10));
            }
            md.append(String.format(Locale.ROOT, "| %s | %.3f s | %.2f s | %.2f s | %.2f s | %.0f MB |\n", row[1],
                    median(ready), median(first), median(served), median(dump), median(rss)));
            say(row[1] + " start " + ready + " first event " + first + " served " + served + " dump " + dump
                    + " rss " + rss);
        }
        md.append(crash());
        return md.toString();
    }

    /**
     * {@code kill -9} of the JVM that runs the plugins, under load: how long Kong's connects are refused (a probe
     * connects every 2 ms), how many events in flight are lost, and how long until events are answered again.
     */
    private String crash() throws Exception {
        StringBuilder md = new StringBuilder("\n### kill -9 of the server process under load (hello, 4 threads)\n\n"
                + "| JVM | connects refused | longest refused stretch | events lost in flight | kill to events"
                + " answered again |\n|---|---|---|---|---|\n");
        for (String name : serverNames) {
            if (!name.startsWith("java") || opts.get(name) == null) {
                continue;
            }
            Path dir = work.resolve(name + "-crash");
            deleteTree(dir);
            Path deploy = work.resolve("deploy10");
            ServerUnderTest s = ours(name, opts.get(name), dir, deploy, "");
            s.start(1);
            try {
                KongSide side = new KongSide(s.pools(), "-v1");
                java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
                java.util.concurrent.atomic.AtomicLong ok = new java.util.concurrent.atomic.AtomicLong();
                java.util.concurrent.atomic.AtomicLong lost = new java.util.concurrent.atomic.AtomicLong();
                List<Thread> load = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    Thread th = new Thread(() -> {
                        while (running.get()) {
                            try {
                                side.plugin(0, Scenario.HELLO.plugin()).handleEvent(Scenario.HELLO.phase(), side.pdk());
                                ok.incrementAndGet();
                            } catch (RuntimeException e) {
                                lost.incrementAndGet();
                            }
                        }
                    }, "crash-load-" + t);
                    th.start();
                    load.add(th);
                }
                awaitCount(ok, 2000);
                java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
                java.util.concurrent.atomic.AtomicLong longest = new java.util.concurrent.atomic.AtomicLong();
                Thread probe = new Thread(() -> {
                    long since = 0;
                    while (running.get()) {
                        long now = System.nanoTime();
                        try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(
                                java.net.UnixDomainSocketAddress.of(s.socket()))) {
                            if (since != 0) {
                                longest.accumulateAndGet(now - since, Math::max);
                                since = 0;
                            }
                        } catch (IOException e) {
                            refused.incrementAndGet();
                            since = since == 0 ? now : since;
                        }
                        java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                    }
                }, "crash-probe");
                probe.start();
                long victim = s.pid();
                long lostBefore = lost.get();
                long killed = System.nanoTime();
                ProcessHandle.of(victim).orElseThrow().destroyForcibly();
                long okAtKill = ok.get();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while ((s.pid() == victim || ok.get() < okAtKill + 100) && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                double back = (System.nanoTime() - killed) / 1e9;
                running.set(false);
                probe.join(10_000);
                for (Thread th : load) {
                    th.join(30_000);
                }
                md.append(String.format(Locale.ROOT, "| %s | %d | %.0f ms | %d | %.2f s |\n", name, refused.get(),
                        longest.get() / 1e6, lost.get() - lostBefore, back));
                say(name + " crash: refused " + refused + " longest " + longest.get() / 1e6 + " ms, lost "
                        + (lost.get() - lostBefore) + ", back after " + back + " s");
            } finally {
                s.stop();
            }
        }
        return md.toString();
    }

    private static void awaitCount(java.util.concurrent.atomic.AtomicLong n, long target) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (n.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new IOException("only " + n.get() + " of " + target + " events within 60 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    private double dumpSeconds(String name, Path deploy) throws IOException, InterruptedException {
        Path bin = Path.of(opts.get("dist"), "bin", "kong-java-pluginserver");
        ProcessBuilder pb = new ProcessBuilder(bin.toString(), "-dump", "-deploy", deploy.toString())
                .redirectErrorStream(false).redirectOutput(work.resolve("dump.json").toFile())
                .redirectError(work.resolve("dump.err").toFile());
        pb.environment().put("KONG_JAVA_PLUGINSERVER_JAVA", opts.get(name));
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("-dump failed: " + Files.readString(work.resolve("dump.err")));
        }
        double s = (System.nanoTime() - t0) / 1e9;
        String json = Files.readString(work.resolve("dump.json"), StandardCharsets.UTF_8);
        if (!json.contains("bench-hello-v10")) {
            throw new IOException("-dump does not list the variants: " + json);
        }
        return s;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the report

    private void table(StringBuilder md, Map<String, Map<String, List<LoadRun.Result>>> results) {
        md.append("| scenario | concurrency | server | events/s | p50 µs | p99 µs | p99.9 µs | server CPU µs/event"
                + " | server vol. cs/RPC | server nonvol. cs/RPC | server RSS MB | errors |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Scenario sc : scenarios) {
            for (int c : concurrency) {
                for (String server : results.keySet()) {
                    List<LoadRun.Result> rs = results.get(server).get(key(sc, c));
                    if (rs == null) {
                        continue;
                    }
                    md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.0f | %.0f | %.0f | %.1f | %.2f | %.2f"
                                    + " | %.0f | %d |\n",
                            sc.id(), c, server, med(rs, LoadRun.Result::eventsPerSecond), med(rs, LoadRun.Result::p50Micros),
                            med(rs, LoadRun.Result::p99Micros), med(rs, LoadRun.Result::p999Micros),
                            med(rs, LoadRun.Result::cpuMicrosPerEvent), med(rs, LoadRun.Result::voluntaryPerRpc),
                            med(rs, LoadRun.Result::nonvoluntaryPerRpc), med(rs, r -> r.rssKb() / 1024.0),
                            rs.stream().mapToLong(LoadRun.Result::errors).sum()));
                }
            }
        }
    }

    private void pacedTable(StringBuilder md, Map<String, Map<String, List<LoadRun.Result>>> results) {
        md.append(String.format(Locale.ROOT, "### Kong-paced: one event loop per emulated Nginx worker, %s µs of Kong"
                + " CPU per RPC\n\n", fmt(rpcCpuNanos / 1000.0)));
        md.append("| scenario | concurrency | workers | server | events/s | p50 µs | p99 µs | server CPU µs/event"
                + " | server vol. cs/RPC | server nonvol. cs/RPC | RPCs/event | Kong CPU %/worker | errors |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Scenario sc : scenarios) {
            for (int c : concurrency) {
                for (int w : workerCounts) {
                    for (String server : results.keySet()) {
                        List<LoadRun.Result> rs = results.get(server).get(key(sc, c, w));
                        if (rs == null) {
                            continue;
                        }
                        md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %.0f | %.0f | %.0f | %.1f | %.2f"
                                        + " | %.2f | %.2f | %.0f | %d |\n", sc.id(), c, w, server,
                                med(rs, LoadRun.Result::eventsPerSecond), med(rs, LoadRun.Result::p50Micros),
                                med(rs, LoadRun.Result::p99Micros), med(rs, LoadRun.Result::cpuMicrosPerEvent),
                                med(rs, LoadRun.Result::voluntaryPerRpc), med(rs, LoadRun.Result::nonvoluntaryPerRpc),
                                med(rs, LoadRun.Result::rpcsPerEvent), med(rs, LoadRun.Result::kongCpuPercent),
                                rs.stream().mapToLong(LoadRun.Result::errors).sum()));
                    }
                }
            }
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Ratios of the Kong-paced table: rows scenario, concurrency, workers. */
    private void pacedRatios(StringBuilder md, Map<String, Map<String, List<LoadRun.Result>>> results) {
        List<String[]> rows = new ArrayList<>(); // {label cells, key}
        for (Scenario sc : scenarios) {
            for (int c : concurrency) {
                for (int w : workerCounts) {
                    rows.add(new String[] {sc.id() + " | " + c + " | " + w, key(sc, c, w)});
                }
            }
        }
        ratios(md, results, "scenario | concurrency | workers", rows);
    }

    private void ratios(StringBuilder md, Map<String, Map<String, List<LoadRun.Result>>> results) {
        List<String[]> rows = new ArrayList<>();
        for (Scenario sc : scenarios) {
            for (int c : concurrency) {
                rows.add(new String[] {sc.id() + " | " + c, key(sc, c)});
            }
        }
        ratios(md, results, "scenario | concurrency", rows);
    }

    private void ratios(StringBuilder md, Map<String, Map<String, List<LoadRun.Result>>> results, String labels,
                        List<String[]> rows) {
        List<String> ours = new ArrayList<>();
        for (String s : results.keySet()) {
            if (s.startsWith("java")) {
                ours.add(s);
            }
        }
        if (ours.isEmpty()) {
            return;
        }
        md.append("\nRatios of the medians (events/s: ours ÷ theirs, higher is better; p99: ours ÷ theirs, lower is"
                + " better):\n\n| " + labels + " |");
        StringBuilder sep = new StringBuilder("|" + "---|".repeat(labels.split("\\|").length));
        for (String o : ours) {
            if (results.containsKey("js")) {
                md.append(' ').append(o).append(" ÷ js events/s | ").append(o).append(" ÷ js p99 |");
                sep.append("---|---|");
            }
            if (results.containsKey("floor")) {
                md.append(' ').append(o).append(" ÷ floor events/s |");
                sep.append("---|");
            }
        }
        md.append('\n').append(sep).append('\n');
        for (String[] row : rows) {
            md.append("| ").append(row[0]).append(" |");
            for (String o : ours) {
                List<LoadRun.Result> mine = results.get(o).get(row[1]);
                if (results.containsKey("js")) {
                    List<LoadRun.Result> js = results.get("js").get(row[1]);
                    md.append(String.format(Locale.ROOT, " %.2f | %.2f |",
                            med(mine, LoadRun.Result::eventsPerSecond) / med(js, LoadRun.Result::eventsPerSecond),
                            med(mine, LoadRun.Result::p99Micros) / med(js, LoadRun.Result::p99Micros)));
                }
                if (results.containsKey("floor")) {
                    List<LoadRun.Result> floor = results.get("floor").get(row[1]);
                    md.append(String.format(Locale.ROOT, " %.2f |", med(mine, LoadRun.Result::eventsPerSecond)
                            / med(floor, LoadRun.Result::eventsPerSecond)));
                }
            }
            md.append('\n');
        }
    }

    private void gc(StringBuilder md, Map<String, GcLog.Pauses> pauses) {
        if (pauses.isEmpty()) {
            return;
        }
        md.append("\nGC pauses at steady state (after the warm-up, from `-Xlog:gc`):\n\n| server | pauses | longest |"
                + " total |\n|---|---|---|---|\n");
        pauses.forEach((s, p) -> md.append(String.format(Locale.ROOT, "| %s | %d | %.2f ms | %.0f ms |\n", s,
                p.count(), p.maxMillis(), p.totalMillis())));
    }

    private static double med(List<LoadRun.Result> rs, java.util.function.ToDoubleFunction<LoadRun.Result> f) {
        List<Double> v = new ArrayList<>();
        for (LoadRun.Result r : rs) {
            v.add(f.applyAsDouble(r));
        }
        return median(v);
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> v = new ArrayList<>(values);
        v.sort(Double::compare);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
