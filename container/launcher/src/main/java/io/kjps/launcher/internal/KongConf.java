package io.kjps.launcher.internal;

import io.kjps.model.PluginDescriptor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code -kong-conf}: prints the kong.conf lines that make Kong use the deployed plugins through this server.
 *
 * <p>Which layout works depends on the Kong version (protocol.md "Corrections" 6):
 * <ul>
 *   <li>Kong 3.9+ registers only the first plugin of a query, so it needs one {@code pluginserver_names} entry per
 *       plugin. All entries share one socket; each queries its own plugin with {@code -dump-plugin NAME}; only the
 *       first has a {@code start_cmd}, so one JVM serves them all. These lines are printed active.</li>
 *   <li>Kong 2.x to 3.8 register every plugin of one query, so a single entry {@code kong-java-pluginserver} whose
 *       query is {@code -dump} serves all plugins. Kong 3.1 to 3.4 never run the plugins of an entry without
 *       {@code start_cmd} (protocol.md §3.4), so they must use this single-entry layout. These lines follow, commented
 *       out (each starts with {@code "# "}). Their start command adds {@code -exit-with-parent}: Kong 2.x never
 *       signals its servers (protocol.md §3.5).</li>
 * </ul>
 * Property names: the entry name lower-cased with {@code -} replaced by {@code _} (protocol.md §1.1). Paths in commands
 * are single-quoted for {@code /bin/sh} only when they contain characters a shell would interpret.
 */
public final class KongConf {

    /** The entry name of the single-entry (Kong 2.x to 3.8) layout. */
    public static final String SINGLE_ENTRY_NAME = "kong-java-pluginserver";

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private final Path launcher;
    private final Path kongPrefix;
    private final Path socket;
    private final Path deploy;

    /**
     * @param launcher   absolute path of {@code bin/kong-java-pluginserver}
     * @param kongPrefix absolute Kong prefix passed to the server
     * @param socket     absolute socket path
     * @param deploy     absolute deploy directory
     */
    public KongConf(Path launcher, Path kongPrefix, Path socket, Path deploy) {
        this.launcher = launcher;
        this.kongPrefix = kongPrefix;
        this.socket = socket;
        this.deploy = deploy;
    }

    /**
     * Reads the deploy directory and prints the lines.
     *
     * @return 0, or {@link LauncherOptions#EXIT_FAILURE} (nothing on stdout) when no plugin is deployed
     */
    public int print(PrintStream out, PrintStream err) {
        List<String> names = PluginCatalog.read(deploy, PluginDump.warning(err)).stream()
                .map(PluginDescriptor::name).toList();
        if (names.isEmpty()) {
            err.println("kong-java-pluginserver: error: no plugin found in " + deploy);
            return LauncherOptions.EXIT_FAILURE;
        }
        StringBuilder text = new StringBuilder();
        for (String line : lines(names)) {
            text.append(line).append('\n');
        }
        out.print(text);
        out.flush();
        return 0;
    }

    /** The kong.conf lines for {@code pluginNames} (non-empty, in the order given). */
    public List<String> lines(List<String> pluginNames) {
        String plugins = "plugins = bundled," + String.join(",", pluginNames);
        String startCmd = command(launcher, "-kong-prefix", kongPrefix, "-socket", socket, "-deploy", deploy);

        List<String> lines = new ArrayList<>();
        lines.add("# Kong 3.9 and later: one pluginserver entry per plugin, all on one socket;"
                + " only the first entry starts the server.");
        lines.add(plugins);
        lines.add("pluginserver_names = " + String.join(",", pluginNames));
        boolean first = true;
        for (String name : pluginNames) {
            String prefix = "pluginserver_" + propertyName(name);
            lines.add(prefix + "_socket = " + socket);
            if (first) {
                lines.add(prefix + "_start_cmd = " + startCmd);
                first = false;
            }
            lines.add(prefix + "_query_cmd = " + command(launcher, "-deploy", deploy, "-dump-plugin", name));
        }

        String single = "pluginserver_" + propertyName(SINGLE_ENTRY_NAME);
        List<String> legacy = List.of(
                "Kong 2.x to 3.8 register every plugin of one query, so they use one entry whose query prints all"
                        + " plugins.",
                "Kong 3.1 to 3.4 never run the plugins of an entry without start_cmd: they need this single-entry"
                        + " layout.",
                "For Kong 2.x to 3.8, use these lines instead of the ones above:",
                plugins,
                "pluginserver_names = " + SINGLE_ENTRY_NAME,
                single + "_socket = " + socket,
                single + "_start_cmd = " + startCmd + " -exit-with-parent",
                single + "_query_cmd = " + command(launcher, "-deploy", deploy, "-dump"));
        lines.add("");
        legacy.forEach(line -> lines.add("# " + line));
        return lines;
    }

    /** {@code name} as it appears in property names: lower-cased, {@code -} replaced by {@code _}. */
    public static String propertyName(String name) {
        return name.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    private static String command(Object... words) {
        return Arrays.stream(words).map(String::valueOf).map(KongConf::quote)
                .collect(Collectors.joining(" "));
    }

    private static String quote(String word) {
        if (SHELL_SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
