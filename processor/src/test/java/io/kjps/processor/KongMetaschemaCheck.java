package io.kjps.processor;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A test-side model of the checks Kong applies when it loads an external plugin's metadata, written independently
 * of the processor so that it can catch the processor's mistakes. Other modules' tests can copy it.
 *
 * <p>Facts from Kong's {@code kong/db/schema/metaschema.lua} ({@code MetaSubSchema}, {@code required_attributes},
 * {@code attribute_types}, {@code field_schema} and {@code validators}) and {@code kong/db/schema/init.lua}
 * ({@code valid_types}); for the plugin object, docs/protocol.md §2.3 and §2.5:
 * <ul>
 *   <li>a schema is {@code {"name": string, "fields": [...]}}; each entry of a {@code fields} array is an object
 *       with exactly one key, the field name, whose value is the field definition;</li>
 *   <li>every field definition has a {@code type} from Kong's valid types;</li>
 *   <li>companions: {@code array} and {@code set} need {@code elements}, {@code map} needs {@code keys} and
 *       {@code values}, {@code record} needs {@code fields} (unless {@code abstract}), {@code json} needs
 *       {@code json_schema}; the nested definitions are checked the same way;</li>
 *   <li>attributes restricted to some types ({@code attribute_types}), e.g. {@code between} only on integer and
 *       number, {@code one_of} only on string, integer and number, {@code match} and {@code uuid} only on string;
 *       an attribute the metaschema does not know is rejected (Kong's records refuse unknown fields);</li>
 *   <li>attribute values have the metaschema's types ({@code required} boolean, {@code between} two numbers,
 *       {@code len_min} integer, {@code description} a string of 10 to 500 bytes, ...);</li>
 *   <li>{@code default} must itself be a valid value of the field ({@code type = "self"}).</li>
 * </ul>
 */
public final class KongMetaschemaCheck {

    /** Kong's {@code Schema.valid_types}. */
    public static final Set<String> VALID_TYPES = Set.of("array", "set", "string", "number", "boolean", "integer",
            "foreign", "map", "record", "function", "json");

    /** The metaschema's {@code required_attributes}. */
    public static final Map<String, List<String>> REQUIRED_ATTRIBUTES = Map.of(
            "array", List.of("elements"),
            "set", List.of("elements"),
            "map", List.of("keys", "values"),
            "record", List.of("fields"),
            "json", List.of("json_schema"));

    /** The metaschema's {@code attribute_types}: attributes allowed only on these types. */
    public static final Map<String, Set<String>> ATTRIBUTE_TYPES = Map.ofEntries(
            Map.entry("between", Set.of("integer", "number")),
            Map.entry("len_eq", Set.of("array", "set", "string", "map")),
            Map.entry("match", Set.of("string")),
            Map.entry("one_of", Set.of("string", "number", "integer")),
            Map.entry("contains", Set.of("array", "set")),
            Map.entry("is_regex", Set.of("string")),
            Map.entry("timestamp", Set.of("number", "integer")),
            Map.entry("uuid", Set.of("string")),
            Map.entry("unique", Set.of("string", "number", "integer", "foreign")),
            Map.entry("unique_across_ws", Set.of("string", "number", "integer", "foreign")),
            Map.entry("abstract", Set.of("string", "number", "integer", "record", "array", "set", "map")),
            Map.entry("json_schema", Set.of("json")));

    /** Every field attribute the metaschema knows (field_schema, validators, nested attributes). */
    public static final Set<String> KNOWN_ATTRIBUTES = Set.of("type", "required", "reference", "description",
            "examples", "auto", "unique", "unique_across_ws", "on_delete", "default", "abstract",
            "generate_admin_api", "immutable", "err", "encrypted", "referenceable", "json_schema", "between", "eq",
            "ne", "gt", "len_eq", "len_min", "len_max", "match", "not_match", "match_all", "match_none",
            "match_any", "starts_with", "one_of", "not_one_of", "contains", "is_regex", "timestamp", "uuid",
            "custom_validator", "mutually_exclusive_subsets", "elements", "keys", "values", "fields",
            "entity_checks", "shorthand_fields");

    private static final Set<String> BOOLEAN_ATTRIBUTES = Set.of("required", "auto", "unique", "unique_across_ws",
            "abstract", "generate_admin_api", "immutable", "encrypted", "referenceable", "is_regex", "timestamp",
            "uuid");
    private static final Set<String> STRING_ATTRIBUTES = Set.of("reference", "err", "match", "not_match",
            "starts_with");
    private static final Set<String> INTEGER_ATTRIBUTES = Set.of("len_eq", "len_min", "len_max");
    private static final Set<String> PHASES = Set.of("certificate", "rewrite", "access", "response", "preread",
            "log");
    private static final Pattern VERSION = Pattern.compile("[0-9]+(\\.[0-9]+){0,2}");

    private KongMetaschemaCheck() {
    }

    /**
     * Checks a plugin file written by the processor: the Kong object (Name, Version with at most three numeric
     * parts, integer Priority, Phases from the six known ones without repeats, Schema named like the plugin with a
     * single {@code config} record), {@code Handler} a string, {@code ConfigType} a string or null.
     *
     * @param json the file's text
     * @throws AssertionError listing every violation
     */
    public static void assertValidPluginFile(String json) {
        List<String> problems = new ArrayList<>();
        JsonObject doc = JsonParser.parseString(json).getAsJsonObject();
        JsonObject kong = doc.getAsJsonObject("Kong");
        if (kong == null) {
            throw new AssertionError("no Kong object in " + json);
        }
        String name = string(kong, "Name", problems);
        String version = string(kong, "Version", problems);
        if (version != null && !VERSION.matcher(version).matches()) {
            problems.add("Version " + version + " is not x.y.z");
        }
        JsonElement priority = kong.get("Priority");
        if (!isInteger(priority)) {
            problems.add("Priority is not an integer: " + priority);
        }
        JsonElement phases = kong.get("Phases");
        if (phases == null || !phases.isJsonArray()) {
            problems.add("Phases is not an array");
        } else {
            Set<String> seen = new HashSet<>();
            for (JsonElement p : phases.getAsJsonArray()) {
                if (!p.isJsonPrimitive() || !PHASES.contains(p.getAsString()) || !seen.add(p.getAsString())) {
                    problems.add("bad phase " + p);
                }
            }
        }
        JsonElement schema = kong.get("Schema");
        if (schema == null || !schema.isJsonObject()) {
            problems.add("Schema is not an object");
        } else {
            problems.addAll(violations(schema.getAsJsonObject()));
            JsonElement schemaName = schema.getAsJsonObject().get("name");
            if (name != null && (schemaName == null || !name.equals(schemaName.getAsString()))) {
                problems.add("Schema name " + schemaName + " differs from Name " + name);
            }
            JsonElement fields = schema.getAsJsonObject().get("fields");
            if (fields == null || !fields.isJsonArray() || fields.getAsJsonArray().size() != 1
                    || !fields.getAsJsonArray().get(0).getAsJsonObject().has("config")
                    || !"record".equals(fields.getAsJsonArray().get(0).getAsJsonObject().getAsJsonObject("config")
                            .get("type").getAsString())) {
                problems.add("Schema fields is not [{\"config\": {\"type\": \"record\", ...}}]");
            }
        }
        if (!doc.has("Handler") || !doc.get("Handler").isJsonPrimitive()) {
            problems.add("Handler is not a string");
        }
        JsonElement configType = doc.get("ConfigType");
        if (configType == null || !(configType.isJsonNull() || isString(configType))) {
            problems.add("ConfigType is not a string or null");
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("plugin file breaks Kong's rules: " + problems + "\n" + json);
        }
    }

    /**
     * The ways a Kong plugin schema ({@code {"name": ..., "fields": [...]}}) breaks the metaschema.
     *
     * @param schema the schema
     * @return the violations, empty when it is valid
     */
    public static List<String> violations(JsonObject schema) {
        List<String> problems = new ArrayList<>();
        JsonElement name = schema.get("name");
        if (name == null || !name.isJsonPrimitive() || !name.getAsJsonPrimitive().isString()) {
            problems.add("schema: name must be a string");
        }
        JsonElement fields = schema.get("fields");
        if (fields == null) {
            problems.add("schema: 'fields' must be a table");
        } else {
            checkFields("", fields, problems);
        }
        return problems;
    }

    private static void checkFields(String path, JsonElement fields, List<String> problems) {
        if (!fields.isJsonArray()) {
            problems.add(path + "fields: must be an array");
            return;
        }
        for (JsonElement item : fields.getAsJsonArray()) {
            if (!item.isJsonObject() || item.getAsJsonObject().size() != 1) {
                problems.add(path + "fields: each entry must be an object with exactly one key: " + item);
                continue;
            }
            Map.Entry<String, JsonElement> entry = item.getAsJsonObject().entrySet().iterator().next();
            if (!entry.getValue().isJsonObject()) {
                problems.add(path + entry.getKey() + ": must be a table");
                continue;
            }
            checkField(path + entry.getKey(), entry.getValue().getAsJsonObject(), problems);
        }
    }

    private static void checkField(String path, JsonObject field, List<String> problems) {
        JsonElement typeElement = field.get("type");
        if (typeElement == null) {
            problems.add(path + ": missing type declaration");
            return;
        }
        String type = typeElement.getAsString();
        if (!VALID_TYPES.contains(type)) {
            problems.add(path + ": invalid type " + type);
            return;
        }
        boolean isAbstractRecord = type.equals("record") && field.has("abstract")
                && field.get("abstract").getAsBoolean();
        for (String required : REQUIRED_ATTRIBUTES.getOrDefault(type, List.of())) {
            if (!field.has(required) && !isAbstractRecord) {
                problems.add(path + ": field of type '" + type + "' must declare '" + required + "'");
            }
        }
        for (Map.Entry<String, JsonElement> attribute : field.entrySet()) {
            String a = attribute.getKey();
            JsonElement v = attribute.getValue();
            if (!KNOWN_ATTRIBUTES.contains(a)) {
                problems.add(path + ": unknown attribute '" + a + "'");
                continue;
            }
            Set<String> allowed = ATTRIBUTE_TYPES.get(a);
            if (allowed != null && !allowed.contains(type)) {
                problems.add(path + ": field of type '" + type + "' cannot have attribute '" + a + "'");
            }
            if (BOOLEAN_ATTRIBUTES.contains(a) && !(v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean())) {
                problems.add(path + ": '" + a + "' must be a boolean");
            }
            if (STRING_ATTRIBUTES.contains(a) && !isString(v)) {
                problems.add(path + ": '" + a + "' must be a string");
            }
            if (INTEGER_ATTRIBUTES.contains(a) && !isInteger(v)) {
                problems.add(path + ": '" + a + "' must be an integer");
            }
            switch (a) {
                case "description" -> {
                    int bytes = isString(v) ? v.getAsString().getBytes(StandardCharsets.UTF_8).length : -1;
                    if (bytes < 10 || bytes > 500) {
                        problems.add(path + ": description must be a string of 10 to 500 bytes");
                    }
                }
                case "between" -> {
                    if (!v.isJsonArray() || v.getAsJsonArray().size() != 2 || !isNumber(v.getAsJsonArray().get(0))
                            || !isNumber(v.getAsJsonArray().get(1))) {
                        problems.add(path + ": between must be an array of two numbers");
                    }
                }
                case "gt" -> {
                    if (!isNumber(v)) {
                        problems.add(path + ": gt must be a number");
                    }
                }
                case "one_of", "not_one_of" -> {
                    if (!v.isJsonArray()) {
                        problems.add(path + ": " + a + " must be an array");
                    }
                }
                case "elements", "keys", "values" -> {
                    if (v.isJsonObject()) {
                        checkField(path + "." + a, v.getAsJsonObject(), problems);
                    } else {
                        problems.add(path + ": '" + a + "' must be a table");
                    }
                }
                case "fields" -> checkFields(path + ".", v, problems);
                default -> {
                }
            }
        }
        if (field.has("default")) {
            String why = fits(field.get("default"), field);
            if (why != null) {
                problems.add(path + ": default " + field.get("default") + " is not valid: " + why);
            }
        }
    }

    /** Why a value does not fit a field definition (its type, companions and the validators on it), or null. */
    private static String fits(JsonElement value, JsonObject field) {
        if (value.isJsonNull()) {
            return "null";
        }
        String type = field.get("type").getAsString();
        switch (type) {
            case "string" -> {
                if (!isString(value)) {
                    return "expected a string";
                }
                // Schema:validate_field gives a string field without len_min the value 1 (kong/db/schema/init.lua)
                if (!field.has("len_min") && value.getAsString().isEmpty()) {
                    return "length must be at least 1";
                }
            }
            case "boolean" -> {
                if (!(value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean())) {
                    return "expected a boolean";
                }
            }
            case "integer" -> {
                if (!isInteger(value)) {
                    return "expected an integer";
                }
            }
            case "number" -> {
                if (!isNumber(value)) {
                    return "expected a number";
                }
            }
            case "array", "set" -> {
                if (!value.isJsonArray()) {
                    return "expected an array";
                }
                for (JsonElement e : value.getAsJsonArray()) {
                    String why = fits(e, field.getAsJsonObject("elements"));
                    if (why != null) {
                        return "element " + e + ": " + why;
                    }
                }
            }
            case "map" -> {
                if (!value.isJsonObject()) {
                    return "expected a map";
                }
                for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
                    String why = fits(e.getValue(), field.getAsJsonObject("values"));
                    if (why != null) {
                        return "value of " + e.getKey() + ": " + why;
                    }
                }
            }
            case "record" -> {
                if (!value.isJsonObject()) {
                    return "expected a record";
                }
                for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
                    JsonObject sub = null;
                    for (JsonElement item : field.getAsJsonArray("fields")) {
                        if (item.getAsJsonObject().has(e.getKey())) {
                            sub = item.getAsJsonObject().getAsJsonObject(e.getKey());
                        }
                    }
                    if (sub == null) {
                        return "unknown field " + e.getKey();
                    }
                    String why = fits(e.getValue(), sub);
                    if (why != null) {
                        return e.getKey() + ": " + why;
                    }
                }
            }
            default -> {
                return "no default check for type " + type;
            }
        }
        JsonArray oneOf = field.has("one_of") ? field.getAsJsonArray("one_of") : null;
        if (oneOf != null && !containsValue(oneOf, value)) {
            return "not one of " + oneOf;
        }
        if (field.has("between") && isNumber(value)) {
            JsonArray b = field.getAsJsonArray("between");
            BigDecimal n = value.getAsBigDecimal();
            if (n.compareTo(b.get(0).getAsBigDecimal()) < 0 || n.compareTo(b.get(1).getAsBigDecimal()) > 0) {
                return "not between " + b;
            }
        }
        if (field.has("gt") && isNumber(value)
                && value.getAsBigDecimal().compareTo(field.get("gt").getAsBigDecimal()) <= 0) {
            return "not greater than " + field.get("gt");
        }
        int length = isString(value) ? value.getAsString().getBytes(StandardCharsets.UTF_8).length
                : value.isJsonArray() ? value.getAsJsonArray().size()
                : value.isJsonObject() ? value.getAsJsonObject().size() : -1;
        if (field.has("len_min") && length >= 0 && length < field.get("len_min").getAsInt()) {
            return "shorter than len_min";
        }
        if (field.has("len_max") && length >= 0 && length > field.get("len_max").getAsInt()) {
            return "longer than len_max";
        }
        if (field.has("starts_with") && isString(value)
                && !value.getAsString().startsWith(field.get("starts_with").getAsString())) {
            return "does not start with " + field.get("starts_with");
        }
        return null;
    }

    private static boolean containsValue(JsonArray options, JsonElement value) {
        for (JsonElement o : options) {
            if (isNumber(o) && isNumber(value) ? o.getAsBigDecimal().compareTo(value.getAsBigDecimal()) == 0
                    : o.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String string(JsonObject o, String key, List<String> problems) {
        JsonElement e = o.get(key);
        if (!isString(e)) {
            problems.add(key + " is not a string: " + e);
            return null;
        }
        return e.getAsString();
    }

    private static boolean isString(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    private static boolean isNumber(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber();
    }

    private static boolean isInteger(JsonElement e) {
        if (!isNumber(e)) {
            return false;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        return p.getAsBigDecimal().stripTrailingZeros().scale() <= 0;
    }
}
