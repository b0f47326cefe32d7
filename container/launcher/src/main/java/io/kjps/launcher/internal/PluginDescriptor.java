package io.kjps.launcher.internal;

import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * One plugin as its bundle describes it in {@code META-INF/kong-java-pluginserver/plugins/<name>.json} (written at
 * build time by the annotation processor).
 *
 * @param name the plugin name (the {@code Kong.Name} value)
 * @param kong the {@code Kong} object exactly as Kong's query_cmd expects it (Name, Version, Priority, Phases,
 *             Schema); printed unchanged
 * @param jar  the bundle jar the descriptor came from
 */
public record PluginDescriptor(String name, JsonObject kong, Path jar) {
}
