package io.kjps.socket.internal;

import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.dispatch.Event;
import io.kjps.rpc.dispatch.Instance;
import io.kjps.rpc.dispatch.ServedPlugin;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;

/**
 * The shell's {@code kong:*} commands: a Gogo command service (service properties
 * {@code osgi.command.scope=kong}, {@code osgi.command.function=plugins,instances,events,conf,stats,notices,metrics,
 * update})
 * that the socket component registers, since it owns the dispatcher and the {@link PluginRevisions}. Gogo calls the public
 * methods by reflection; each returns the text to print (nothing for {@code update}), or throws with the one line that
 * says what failed. Needs no Gogo import.
 *
 * <p>{@code kong:update} is the shell's {@code update}: the admin shell puts the {@code kong} scope first, so an
 * unscoped {@code update} is this one, and Gogo's own stays reachable as {@code felix:update}.
 */
public final class KongCommands {
    /** The command names, for {@code osgi.command.function}. */
    static final String[] FUNCTIONS = {"plugins", "instances", "events", "conf", "stats", "notices", "metrics",
        "update"};

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private final Dispatcher dispatcher;
    private final Function<ServedPlugin, Long> bundleOf;
    private final PluginNotices notices;
    private final Function<String, String> properties;
    private final LongFunction<Bundle> bundles;
    private final PluginRevisions revisions;
    private final IntSupplier openConnections;
    private final java.util.function.Supplier<String> metrics;
    private final long startMillis = System.currentTimeMillis();

    /**
     * @param dispatcher the dispatcher serving Kong
     * @param bundleOf the id of the bundle providing a revision, or {@code null}
     * @param notices refusals and metadata changes
     * @param properties the framework properties ({@code kjps.socket}, {@code kjps.home}, ...)
     * @param bundles the bundle of an id, or {@code null}
     * @param revisions the owner of plugin revisions, whose verdict {@code update} waits for
     * @param openConnections Kong's connections open now
     * @param metrics the metrics in the Prometheus text format
     */
    KongCommands(Dispatcher dispatcher, Function<ServedPlugin, Long> bundleOf, PluginNotices notices,
                 Function<String, String> properties, LongFunction<Bundle> bundles, PluginRevisions revisions,
                 IntSupplier openConnections, java.util.function.Supplier<String> metrics) {
        this.metrics = metrics;
        this.dispatcher = dispatcher;
        this.bundleOf = bundleOf;
        this.notices = notices;
        this.properties = properties;
        this.bundles = bundles;
        this.revisions = revisions;
        this.openConnections = openConnections;
    }

    /**
     * {@code update <id>}: updates a bundle from its own location, as Gogo's {@code update} does, and waits for the
     * {@link PluginRevisions}'s verdict.
     *
     * @param id the bundle id
     * @throws Exception with the guard's one line when the update failed and was rolled back, or the framework's
     *     reason when the update could not be made
     */
    public void update(long id) throws Exception {
        Bundle bundle = bundle(id);
        update(bundle, () -> {
            bundle.update();
            return null;
        });
    }

    /**
     * {@code update <id> <url>}: updates a bundle from the jar at a URL, as Gogo's {@code update} does, and waits for
     * the {@link PluginRevisions}'s verdict. When the new revision fails (it cannot resolve, a component throws on
     * activation, its handler is refused), the command fails with the guard's one ERROR line: what failed, that the
     * bundle is rolled back, and which revision keeps serving. The stack trace stays in the server's log.
     *
     * @param id the bundle id
     * @param url where the new revision's jar is, for example {@code file:/tmp/my-plugin.jar}
     * @throws Exception with the guard's one line when the update failed and was rolled back, or the framework's
     *     reason when the update could not be made
     */
    public void update(long id, String url) throws Exception {
        Bundle bundle = bundle(id);
        URL location = URI.create(url).toURL();
        update(bundle, () -> {
            try (InputStream in = location.openStream()) {
                bundle.update(in);
            }
            return null;
        });
    }

    private Bundle bundle(long id) {
        Bundle bundle = bundles.apply(id);
        if (bundle == null) {
            throw new IllegalArgumentException("no bundle " + id);
        }
        return bundle;
    }

    /**
     * Runs the update on a thread of its own, then waits for the guard's verdict. A new thread that inherits no
     * inheritable thread locals: Gogo binds the session's output to the command's thread and to the threads it
     * creates, and what the framework and Declarative Services print while the new revision starts (a component's
     * stack trace) belongs to the server's log, as for an update from the deploy folder, not to the shell.
     */
    private void update(Bundle bundle, Callable<Void> update) throws Exception {
        CompletableFuture<String> verdict = revisions.nextVerdict(bundle.getBundleId());
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(null, () -> {
            try {
                update.call();
                done.complete(null);
            } catch (Exception | LinkageError e) {
                done.completeExceptionally(e);
            }
        }, "kjps-shell-update", 0, false);
        t.setDaemon(true);
        t.start();
        try {
            done.get();
        } catch (ExecutionException e) {
            Exception cause = e.getCause() instanceof Exception c ? c : e;
            if (revisions.withdraw(bundle.getBundleId(), verdict)) {
                throw cause; // no new revision was installed: the framework's reason
            }
            // installed, then it did not start (the framework throws that from update): the guard rolls it back
            String failure = verdict(bundle, verdict);
            throw failure != null ? new IllegalStateException(failure) : cause;
        }
        String failure = verdict(bundle, verdict);
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private String verdict(Bundle bundle, CompletableFuture<String> verdict) throws Exception {
        try {
            return verdict.get(revisions.verdictMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("update of bundle " + bundle.getBundleId()
                    + ": no verdict within " + revisions.verdictMillis() + " ms; see kong:notices and the server's log");
        }
    }

    /** @return one line per plugin served: name, version, bundle id, phases, priority, live instances, events */
    public String plugins() {
        Map<String, Long> live = dispatcher.instances().stream()
                .collect(Collectors.groupingBy(Instance::pluginName, Collectors.counting()));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "VERSION", "BUNDLE", "PHASES", "PRIORITY", "INSTANCES", "EVENTS"});
        for (ServedPlugin p : dispatcher.registry().all()) {
            Long bundle = bundleOf.apply(p);
            rows.add(new String[] {p.name(), p.descriptor().version(), bundle == null ? "-" : bundle.toString(),
                    phases(p), Integer.toString(p.descriptor().priority()),
                    Long.toString(live.getOrDefault(p.name(), 0L)), Long.toString(p.eventsHandled())});
        }
        StringBuilder out = new StringBuilder(table(rows));
        List<String> kept = notices.all();
        if (!kept.isEmpty()) {
            out.append("\nnotices (kong:notices lists all ").append(kept.size()).append("):\n");
            kept.subList(Math.max(0, kept.size() - 10), kept.size())
                    .forEach(n -> out.append("  ").append(n).append('\n'));
        }
        return out.toString();
    }

    /** @return every metric of the server in the Prometheus text format, as the HTTP endpoint serves them */
    public String metrics() {
        return metrics.get();
    }

    /** @return the refused bundles and the updates Kong must learn about, oldest first */
    public String notices() {
        StringBuilder out = new StringBuilder();
        notices.all().forEach(n -> out.append(n).append('\n'));
        return out.length() == 0 ? "no notices\n" : out.toString();
    }

    /** @return one line per live instance: id, plugin, start time, idle time, config */
    public String instances() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "PLUGIN", "STARTED", "IDLE", "CONFIG"});
        long now = System.nanoTime();
        dispatcher.instances().stream().sorted(Comparator.comparingLong(Instance::id)).forEach(i -> rows.add(
                new String[] {Long.toString(i.id()), i.pluginName(),
                        Instant.ofEpochMilli(i.startTimeMillis()).truncatedTo(ChronoUnit.SECONDS).toString(),
                        age(now - i.lastUsedNanos()), String.valueOf(i.configJson())}));
        return table(rows);
    }

    /** @return one line per event in flight: id, plugin revision, phase, instance, age */
    public String events() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "PLUGIN", "VERSION", "PHASE", "INSTANCE", "AGE"});
        long now = System.nanoTime();
        dispatcher.events().stream().sorted(Comparator.comparingLong(Event::id)).forEach(e -> rows.add(
                new String[] {Long.toString(e.id()), e.plugin().name(), e.plugin().descriptor().version(),
                        e.phase().kongName(), Long.toString(e.instance().id()), age(now - e.startNanos())}));
        return table(rows);
    }

    /** @return counters: uptime, plugins, instances, Kong's connections open, events in flight and started */
    public String stats() {
        return "uptime " + Duration.ofMillis(System.currentTimeMillis() - startMillis).toSeconds() + " s\n"
                + "plugins " + dispatcher.registry().all().size() + "\n"
                + "instances " + dispatcher.instances().size() + "\n"
                + "connections open " + openConnections.getAsInt() + "\n"
                + "events in flight " + dispatcher.events().size() + "\n"
                + "events started " + dispatcher.eventsStarted() + "\n"
                + "notices " + notices.all().size() + "\n";
    }

    /**
     * @return the kong.conf lines for the plugins served now, in the format of {@code -kong-conf}
     */
    public String conf() {
        List<String> names = dispatcher.registry().all().stream().map(ServedPlugin::name).toList();
        if (names.isEmpty()) {
            return "# no plugin is served\n";
        }
        String home = properties.apply("kjps.home");
        Path launcher = home == null ? Path.of("bin", "kong-java-pluginserver")
                : Path.of(home, "bin", "kong-java-pluginserver");
        String socket = properties.apply("kjps.socket");
        String prefix = properties.apply("kjps.kong.prefix");
        String deploy = properties.apply("kjps.deploy");
        String plugins = "plugins = bundled," + String.join(",", names);
        String startCmd = command(launcher, "-kong-prefix", prefix, "-socket", socket, "-deploy", deploy);
        StringBuilder out = new StringBuilder();
        out.append("# Kong 3.9 and later: one pluginserver entry per plugin, all on one socket;"
                + " only the first entry starts the server.\n");
        out.append(plugins).append('\n');
        out.append("pluginserver_names = ").append(String.join(",", names)).append('\n');
        boolean first = true;
        for (String name : names) {
            String p = "pluginserver_" + propertyName(name);
            out.append(p).append("_socket = ").append(socket).append('\n');
            if (first) {
                out.append(p).append("_start_cmd = ").append(startCmd).append('\n');
                first = false;
            }
            out.append(p).append("_query_cmd = ").append(command(launcher, "-deploy", deploy, "-dump-plugin", name))
                    .append('\n');
        }
        String single = "pluginserver_kong_java_pluginserver";
        out.append('\n');
        out.append("# For Kong 2.x to 3.8, use these lines instead of the ones above:\n");
        out.append("# ").append(plugins).append('\n');
        out.append("# pluginserver_names = kong-java-pluginserver\n");
        out.append("# ").append(single).append("_socket = ").append(socket).append('\n');
        out.append("# ").append(single).append("_start_cmd = ").append(startCmd).append(" -exit-with-parent\n");
        out.append("# ").append(single).append("_query_cmd = ").append(command(launcher, "-deploy", deploy, "-dump"))
                .append('\n');
        return out.toString();
    }

    private static String phases(ServedPlugin p) {
        return String.join(",", p.descriptor().phases());
    }

    private static String age(long nanos) {
        return Duration.ofNanos(nanos).toMillis() + " ms";
    }

    private static String propertyName(String name) {
        return name.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    private static String command(Object... words) {
        return Arrays.stream(words).map(String::valueOf)
                .map(w -> SHELL_SAFE.matcher(w).matches() ? w : "'" + w.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }

    private static String table(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + widths[i] + "s  ", r[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
