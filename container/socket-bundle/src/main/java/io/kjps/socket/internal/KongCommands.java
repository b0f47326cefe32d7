package io.kjps.socket.internal;

import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.dispatch.Event;
import io.kjps.rpc.dispatch.Instance;
import io.kjps.rpc.dispatch.ServedPlugin;
import io.kjps.rpc.plugin.Phase;
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
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The shell's {@code kong:*} commands: a Gogo command service (service properties
 * {@code osgi.command.scope=kong}, {@code osgi.command.function=plugins,instances,events,conf,stats,notices,metrics}) that
 * the socket component registers, since it owns the dispatcher. Gogo calls the public methods by reflection; each
 * returns the text to print. Needs no Gogo import.
 */
public final class KongCommands {
    /** The command names, for {@code osgi.command.function}. */
    static final String[] FUNCTIONS = {"plugins", "instances", "events", "conf", "stats", "notices", "metrics"};

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private final Dispatcher dispatcher;
    private final Function<ServedPlugin, Long> bundleOf;
    private final PluginNotices notices;
    private final Function<String, String> properties;
    private final java.util.function.Supplier<String> metrics;
    private final long startMillis = System.currentTimeMillis();

    /**
     * @param dispatcher the dispatcher serving Kong
     * @param bundleOf the id of the bundle providing a revision, or {@code null}
     * @param notices refusals and metadata changes
     * @param properties the framework properties ({@code kjps.socket}, {@code kjps.home}, ...)
     * @param metrics the metrics in the Prometheus text format
     */
    KongCommands(Dispatcher dispatcher, Function<ServedPlugin, Long> bundleOf, PluginNotices notices,
                 Function<String, String> properties, java.util.function.Supplier<String> metrics) {
        this.metrics = metrics;
        this.dispatcher = dispatcher;
        this.bundleOf = bundleOf;
        this.notices = notices;
        this.properties = properties;
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

    /** @return counters: uptime, plugins, instances, events in flight and started */
    public String stats() {
        return "uptime " + Duration.ofMillis(System.currentTimeMillis() - startMillis).toSeconds() + " s\n"
                + "plugins " + dispatcher.registry().all().size() + "\n"
                + "instances " + dispatcher.instances().size() + "\n"
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
        return p.descriptor().phases().stream().map(Phase::kongName).collect(Collectors.joining(","));
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
