package io.kjps.rpc.plugin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kjps.model.PluginRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A plugin's metadata as the annotation processor wrote it into the bundle jar, at
 * {@code META-INF/kong-java-pluginserver/plugins/<name>.json} ({@link PluginRules#descriptorPath(String)}):
 * {@code {"Kong": {Name, Version, Priority, Phases, Schema}, "Handler": class, "ConfigType": class or null}}.
 *
 * @param name the plugin name
 * @param version the plugin version
 * @param priority Kong's handler priority
 * @param phases the phases the handler implements, in Kong's order
 * @param kongJson the {@code Kong} object as JSON text: exactly what {@code -dump} prints for this plugin
 * @param schemaJson the {@code Schema} as JSON text
 * @param handlerClass binary name of the handler class
 * @param configType binary name of the config type, or {@code null} for none
 */
public record PluginDescriptor(String name, String version, int priority, List<Phase> phases, String kongJson,
                               String schemaJson, String handlerClass, String configType) {

    /** @return the phases as a set, for membership tests */
    public Set<Phase> phaseSet() {
        return phases.isEmpty() ? EnumSet.noneOf(Phase.class) : EnumSet.copyOf(phases);
    }

    /**
     * Parses a descriptor.
     *
     * @param json the resource text
     * @return the descriptor
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static PluginDescriptor parse(String json) {
        JsonObject root;
        try {
            root = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("plugin descriptor is not a JSON object: " + e.getMessage(), e);
        }
        JsonObject kong = object(root, "Kong");
        String name = string(kong, "Name");
        String nameProblem = PluginRules.nameProblem(name);
        if (nameProblem != null) {
            throw new IllegalArgumentException("plugin name \"" + name + "\" " + nameProblem);
        }
        String version = string(kong, "Version");
        String versionProblem = PluginRules.versionProblem(version);
        if (versionProblem != null) {
            throw new IllegalArgumentException("plugin " + name + " version \"" + version + "\" " + versionProblem);
        }
        JsonElement priority = kong.get("Priority");
        int priorityValue;
        try {
            if (priority == null || !priority.isJsonPrimitive() || !priority.getAsJsonPrimitive().isNumber()) {
                throw new ArithmeticException();
            }
            // exact: 1.5 or 3000000000 must not become 1 or a wrapped negative number
            priorityValue = priority.getAsBigDecimal().intValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("plugin descriptor of " + name + " has no integer Priority");
        }
        JsonElement phasesJson = kong.get("Phases");
        if (phasesJson == null || !phasesJson.isJsonArray()) {
            throw new IllegalArgumentException("plugin descriptor of " + name + " has no Phases array");
        }
        List<Phase> phases = new ArrayList<>();
        for (JsonElement p : (JsonArray) phasesJson) {
            boolean isString = p.isJsonPrimitive() && p.getAsJsonPrimitive().isString();
            Phase phase = isString ? Phase.fromKong(p.getAsString()) : null;
            if (phase == null) {
                throw new IllegalArgumentException("plugin descriptor of " + name + " names an unknown phase " + p);
            }
            phases.add(phase);
        }
        JsonObject schema = object(kong, "Schema");
        JsonElement config = root.get("ConfigType");
        if (config != null && !config.isJsonNull()
                && !(config.isJsonPrimitive() && config.getAsJsonPrimitive().isString())) {
            throw new IllegalArgumentException("plugin descriptor of " + name
                    + " has a ConfigType that is not a class name: " + config);
        }
        return new PluginDescriptor(name, version, priorityValue, Collections.unmodifiableList(phases),
                kong.toString(), schema.toString(), string(root, "Handler"),
                config == null || config.isJsonNull() ? null : config.getAsString());
    }

    private static JsonObject object(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonObject()) {
            throw new IllegalArgumentException("plugin descriptor has no object " + key);
        }
        return e.getAsJsonObject();
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("plugin descriptor has no string " + key);
        }
        return e.getAsString();
    }
}
