package io.kjps.launcher.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import io.kjps.model.PluginDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code -dump} and {@code -dump-plugin NAME}: Kong's {@code query_cmd}.
 *
 * <p>Kong reads only stdout and decodes all of it as one JSON value (protocol.md §2.1), so stdout gets exactly one compact
 * line {@code {"Protocol":"MsgPack:1","Plugins":[...]}} or nothing at all; every warning goes to stderr. The plugin
 * objects are the descriptors' {@code Kong} objects, unchanged, sorted by name (protocol.md §2.2/§2.3). Nothing here starts
 * OSGi or loads plugin classes: Kong runs this at every start, once per plugin entry.
 */
public final class PluginDump {

    /** The only protocol this server speaks (protocol.md §2.6). */
    public static final String PROTOCOL = "MsgPack:1";

    private PluginDump() {
    }

    /**
     * Prints every plugin in {@code deployDir}: an empty {@code Plugins} list when there is none.
     *
     * @return the exit status, always 0
     */
    public static int dumpAll(Path deployDir, PrintStream out, PrintStream err) {
        print(PluginCatalog.read(deployDir, warning(err)), out);
        return 0;
    }

    /**
     * Prints the plugin named {@code name} alone (Kong 3.9+ uses only the first plugin of a dump).
     *
     * @return 0, or {@link LauncherOptions#EXIT_FAILURE} when no deployed plugin has that name: then stdout stays
     *         empty and stderr names the plugins that are deployed
     */
    public static int dumpOne(Path deployDir, String name, PrintStream out, PrintStream err) {
        List<PluginDescriptor> plugins = PluginCatalog.read(deployDir, warning(err));
        for (PluginDescriptor plugin : plugins) {
            if (plugin.name().equals(name)) {
                print(List.of(plugin), out);
                return 0;
            }
        }
        String available = plugins.isEmpty() ? "none"
                : plugins.stream().map(PluginDescriptor::name).collect(Collectors.joining(", "));
        err.println("kong-java-pluginserver: error: no plugin named " + name + " in " + deployDir
                + " (available: " + available + ")");
        return LauncherOptions.EXIT_FAILURE;
    }

    /** The dump JSON for {@code plugins}, one line without newline. */
    public static String toJson(List<PluginDescriptor> plugins) {
        JsonArray array = new JsonArray(plugins.size());
        for (PluginDescriptor plugin : plugins) {
            array.add(plugin.kong());
        }
        JsonObject dump = new JsonObject();
        dump.addProperty("Protocol", PROTOCOL);
        dump.add("Plugins", array);
        return dump.toString();
    }

    static Consumer<String> warning(PrintStream err) {
        return message -> err.println("kong-java-pluginserver: warning: " + message);
    }

    private static void print(List<PluginDescriptor> plugins, PrintStream out) {
        out.print(toJson(plugins) + "\n");
        out.flush();
    }
}
