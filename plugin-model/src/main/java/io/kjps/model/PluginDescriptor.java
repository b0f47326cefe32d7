package io.kjps.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A plugin's descriptor: what the annotation processor writes into the plugin's jar at
 * {@link PluginRules#descriptorPath(String)} and what every other part of the server reads, so that nothing runs
 * plugin code to learn about a plugin. The format, one compact line of UTF-8 JSON:
 * <pre>{@code
 * {"Kong":{"Name":"<name>","Version":"<version>","Priority":<int>,"Phases":[...],"Schema":{...}},
 *  "Handler":"<binary name of the handler class>","ConfigType":"<binary name of the config type>" or null,
 *  "Config":[<resolved config fields>]}
 * }</pre>
 * {@code Kong} is exactly the per-plugin object of Kong's {@code query_cmd} dump, printed by {@code -dump} as it is
 * here. {@code Config} holds the config type's fields as the processor resolved them ({@link ConfigField}), for
 * the decoder to follow; a descriptor written before it existed has none, and the decoder then resolves the fields
 * by the same rules at run time.
 *
 * <p>{@link #parse(String)} is the one reader and {@link #toJson()} the one writer. Both hold the descriptor to
 * {@link PluginRules}: a descriptor that breaks a rule is refused with the rule's words, after the value's name.
 *
 * @param name the plugin name
 * @param version the plugin version
 * @param priority Kong's handler priority
 * @param phases the phases the handler implements, by Kong's names, in Kong's order
 * @param kongJson the {@code Kong} object as compact JSON text: exactly what {@code -dump} prints for this plugin
 * @param schemaJson the {@code Schema} as compact JSON text
 * @param handlerClass binary name of the handler class
 * @param configType binary name of the config type, or {@code null} for none
 * @param config the config type's fields as the processor resolved them, or {@code null} when the descriptor does
 *               not say
 */
public record PluginDescriptor(String name, String version, int priority, List<String> phases, String kongJson,
                               String schemaJson, String handlerClass, String configType, List<ConfigField> config) {

    /**
     * Makes a descriptor from its parts, checked as {@link #parse(String)} checks them.
     *
     * @param name the plugin name
     * @param version the plugin version
     * @param priority Kong's handler priority
     * @param phases the phases, by Kong's names
     * @param schemaJson the Kong schema as JSON text (an object)
     * @param handlerClass binary name of the handler class
     * @param configType binary name of the config type, or {@code null}
     * @param config the config type's resolved fields, or {@code null}
     * @return the descriptor
     * @throws IllegalArgumentException when a part breaks a rule
     */
    public static PluginDescriptor of(String name, String version, int priority, List<String> phases,
                                      String schemaJson, String handlerClass, String configType,
                                      List<ConfigField> config) {
        JsonObject kong = new JsonObject();
        kong.addProperty("Name", name);
        kong.addProperty("Version", version);
        kong.addProperty("Priority", priority);
        JsonArray phaseArray = new JsonArray(phases.size());
        phases.forEach(phaseArray::add);
        kong.add("Phases", phaseArray);
        kong.add("Schema", JsonParser.parseString(schemaJson));
        JsonObject root = new JsonObject();
        root.add("Kong", kong);
        root.addProperty("Handler", handlerClass);
        root.add("ConfigType", configType == null ? JsonNull.INSTANCE : new JsonPrimitive(configType));
        addConfig(root, config);
        return from(root);
    }

    /**
     * The one descriptor reader.
     *
     * @param json the descriptor's text
     * @return the descriptor
     * @throws IllegalArgumentException naming what is missing, malformed or against a {@link PluginRules} rule
     */
    public static PluginDescriptor parse(String json) {
        JsonElement root;
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("extra data after the descriptor");
            }
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("not JSON: " + firstLine(e.getMessage()), e);
        }
        return from(root);
    }

    /** @return the descriptor as its one line of JSON, as the processor writes it into the jar */
    public String toJson() {
        JsonObject root = new JsonObject();
        root.add("Kong", kong());
        root.addProperty("Handler", handlerClass);
        root.add("ConfigType", configType == null ? JsonNull.INSTANCE : new JsonPrimitive(configType));
        addConfig(root, config);
        return root.toString();
    }

    private static void addConfig(JsonObject root, List<ConfigField> config) {
        if (config != null) {
            JsonArray fields = new JsonArray(config.size());
            config.forEach(f -> fields.add(f.toJson()));
            root.add("Config", fields);
        }
    }

    /** @return a new copy of the {@code Kong} object, numbers as written */
    public JsonObject kong() {
        return JsonParser.parseString(kongJson).getAsJsonObject();
    }

    private static PluginDescriptor from(JsonElement root) {
        if (!root.isJsonObject() || !(root.getAsJsonObject().get("Kong") instanceof JsonObject kong)) {
            throw new IllegalArgumentException("no \"Kong\" object");
        }
        String name = string(kong, "Name", "\"Kong.Name\" must be a string");
        check("plugin name \"" + name + "\" ", PluginRules.nameProblem(name));
        String version = string(kong, "Version", "\"Kong.Version\" must be a string");
        check("plugin " + name + " version \"" + version + "\" ", PluginRules.versionProblem(version));
        if (!(kong.get("Priority") instanceof JsonPrimitive priority) || !priority.isNumber()) {
            throw new IllegalArgumentException("\"Kong.Priority\" must be a number");
        }
        BigDecimal priorityValue;
        try {
            priorityValue = priority.getAsBigDecimal();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"Kong.Priority\" must be a number", e);
        }
        check("plugin " + name + " priority " + priority + " ", PluginRules.priorityProblem(priorityValue));
        if (!(kong.get("Phases") instanceof JsonArray phaseArray)) {
            throw new IllegalArgumentException("\"Kong.Phases\" must be an array of strings");
        }
        List<String> phases = new ArrayList<>();
        for (JsonElement phase : phaseArray) {
            if (!(phase instanceof JsonPrimitive text) || !text.isString()) {
                throw new IllegalArgumentException("\"Kong.Phases\" must be an array of strings");
            }
            check("plugin " + name + " phase \"" + text.getAsString() + "\" ",
                    PluginRules.phaseProblem(text.getAsString()));
            phases.add(text.getAsString());
        }
        if (!(kong.get("Schema") instanceof JsonObject schema)) {
            throw new IllegalArgumentException("\"Kong.Schema\" must be an object");
        }
        String handler = string(root.getAsJsonObject(), "Handler", "\"Handler\" must be a string");
        JsonElement config = root.getAsJsonObject().get("ConfigType");
        if (config != null && !config.isJsonNull()
                && !(config instanceof JsonPrimitive p && p.isString())) {
            throw new IllegalArgumentException("\"ConfigType\" must be a class name or null");
        }
        List<ConfigField> fields = null;
        JsonElement resolved = root.getAsJsonObject().get("Config");
        if (resolved != null) {
            if (!resolved.isJsonArray()) {
                throw new IllegalArgumentException("\"Config\" must be an array of config fields");
            }
            fields = new ArrayList<>();
            for (JsonElement f : resolved.getAsJsonArray()) {
                fields.add(ConfigField.fromJson(f, true));
            }
            fields = List.copyOf(fields);
        }
        return new PluginDescriptor(name, version, priorityValue.intValueExact(), List.copyOf(phases),
                kong.toString(), schema.toString(), handler,
                config == null || config.isJsonNull() ? null : config.getAsString(), fields);
    }

    private static void check(String what, String problem) {
        if (problem != null) {
            throw new IllegalArgumentException(what + problem);
        }
    }

    private static String string(JsonObject o, String key, String problem) {
        if (!(o.get(key) instanceof JsonPrimitive p) || !p.isString()) {
            throw new IllegalArgumentException(problem);
        }
        return p.getAsString();
    }

    /** Gson adds a troubleshooting link on a second line; messages stay one line each. */
    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
