package io.kjps.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One field of a plugin's config, resolved: the Java member it comes from, its name in Kong's schema and in the
 * config JSON Kong sends, its Kong type and its default. This class also holds the rules that resolve them, the
 * only copy: the annotation processor writes the schema by them, the server's config decoder reads Kong's config by
 * them and the test kit writes a config object by them, so whatever one accepts the others accept.
 *
 * <p>The rules:
 * <ul>
 *   <li><b>Members.</b> The components of a record; the instance fields of a class that are neither static nor
 *       transient (nor synthetic), its superclasses' first.</li>
 *   <li><b>Names.</b> {@code @Name}, else the Java name by {@link FieldNames#toKong(String)}.</li>
 *   <li><b>Types.</b> {@link #kongType(String)}: {@code String}, enums, {@code boolean}, the integral and
 *       floating-point primitives and their boxes, {@code List}, {@code Collection}, arrays (not {@code byte[]}),
 *       {@code Set}, {@code Map<String, V>}, and records or classes of such fields. {@code char} has no Kong type:
 *       Kong has no one-character string, and a longer string could not be given to the field.</li>
 *   <li><b>Defaults.</b> {@code @Default} is the value itself for a field of Kong type {@code string} (a string or
 *       an enum constant), and JSON for every other type.</li>
 * </ul>
 *
 * <p>The processor writes the resolved fields of a plugin's config into its descriptor ({@code "Config"}, see
 * {@link PluginDescriptor}); the decoder then follows them instead of reading the annotations again.
 *
 * @param member the Java name of the record component or field ({@code null} for an element or value type)
 * @param name the Kong field name ({@code null} for an element or value type)
 * @param type the Kong type ({@code string}, {@code boolean}, {@code integer}, {@code number}, {@code array},
 *             {@code set}, {@code map} or {@code record})
 * @param defaultText the {@code @Default} text (the value itself for a {@code string}, else JSON), or {@code null}
 * @param fields a {@code record}'s fields, else empty
 * @param elements an {@code array}'s or {@code set}'s element type, else {@code null}
 * @param values a {@code map}'s value type, else {@code null}
 * @param attributes the field's other attributes in Kong's schema ({@code required}, {@code between},
 *                   {@code len_min}, {@code one_of}, ...), as the processor wrote them into the schema, in order;
 *                   empty for an element or value type and in descriptors written before they were carried
 */
public record ConfigField(String member, String name, String type, String defaultText, List<ConfigField> fields,
                          ConfigField elements, ConfigField values, Map<String, JsonElement> attributes) {

    /**
     * Keeps the fields and attributes unmodifiable.
     */
    public ConfigField {
        fields = fields == null ? List.of() : List.copyOf(fields);
        Map<String, JsonElement> copy = new LinkedHashMap<>();
        if (attributes != null) {
            attributes.forEach((k, v) -> copy.put(k, v.deepCopy()));
        }
        attributes = Collections.unmodifiableMap(copy);
    }

    /**
     * A field without attributes.
     *
     * @param member see the record
     * @param name see the record
     * @param type see the record
     * @param defaultText see the record
     * @param fields see the record
     * @param elements see the record
     * @param values see the record
     */
    public ConfigField(String member, String name, String type, String defaultText, List<ConfigField> fields,
                       ConfigField elements, ConfigField values) {
        this(member, name, type, defaultText, fields, elements, values, null);
    }

    /**
     * Kong's rule for a value left out: a field {@code required} without a default is refused with
     * {@code required field missing} (Kong fills a field that has a default before it validates).
     *
     * @return whether Kong refuses a config that leaves this field out or sets it to {@code null}
     */
    public boolean requiredWithoutDefault() {
        JsonElement required = attributes.get("required");
        return defaultText == null && required != null && required.isJsonPrimitive()
                && required.getAsJsonPrimitive().isBoolean() && required.getAsBoolean();
    }

    /** What a config type may contain, for messages. */
    public static final String SUPPORTED = "supported are String, enums, boolean, byte/short/int/long, float/double "
            + "(and their boxes), List<T>, Collection<T>, arrays T[] (not byte[]), Set<T>, Map<String, V>, "
            + "and records or classes made of such fields";

    /**
     * Java types that look like values but have no Kong type: every side refuses them, with {@link #noKongType}.
     */
    private static final Set<String> REFUSED_TYPES = Set.of("char", "java.lang.Character");

    private static final Map<String, String> NAMED_TYPES = Map.ofEntries(
            Map.entry("java.lang.String", "string"),
            Map.entry("boolean", "boolean"), Map.entry("java.lang.Boolean", "boolean"),
            Map.entry("byte", "integer"), Map.entry("java.lang.Byte", "integer"),
            Map.entry("short", "integer"), Map.entry("java.lang.Short", "integer"),
            Map.entry("int", "integer"), Map.entry("java.lang.Integer", "integer"),
            Map.entry("long", "integer"), Map.entry("java.lang.Long", "integer"),
            Map.entry("float", "number"), Map.entry("java.lang.Float", "number"),
            Map.entry("double", "number"), Map.entry("java.lang.Double", "number"),
            Map.entry("java.util.List", "array"), Map.entry("java.util.Collection", "array"),
            Map.entry("java.util.Set", "set"), Map.entry("java.util.Map", "map"));

    /**
     * Resolves a field.
     *
     * @param member the Java name of the member
     * @param nameAnnotation the value of its {@code @Name}, or {@code null}
     * @param type its Kong type
     * @param defaultText the value of its {@code @Default}, or {@code null}
     * @return the field
     */
    public static ConfigField of(String member, String nameAnnotation, String type, String defaultText) {
        return new ConfigField(member, kongName(member, nameAnnotation), type, defaultText, List.of(), null, null);
    }

    /**
     * @param type a Kong type
     * @param fields a record's fields, else empty
     * @param elements an array's or set's element type, else {@code null}
     * @param values a map's value type, else {@code null}
     * @return the shape of an element or value type (no member, name or default)
     */
    public static ConfigField shape(String type, List<ConfigField> fields, ConfigField elements, ConfigField values) {
        return new ConfigField(null, null, type, null, fields, elements, values);
    }

    /**
     * @return this field as the descriptor holds it: {@code {"Member","Name","Type","Default","Fields","Elements",
     *         "Values","Attributes"}}, each only when it has a value
     */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        if (member != null) {
            o.addProperty("Member", member);
            o.addProperty("Name", name);
        }
        o.addProperty("Type", type);
        if (defaultText != null) {
            o.addProperty("Default", defaultText);
        }
        if (!fields.isEmpty()) {
            JsonArray a = new JsonArray(fields.size());
            fields.forEach(f -> a.add(f.toJson()));
            o.add("Fields", a);
        }
        if (elements != null) {
            o.add("Elements", elements.toJson());
        }
        if (values != null) {
            o.add("Values", values.toJson());
        }
        if (!attributes.isEmpty()) {
            JsonObject a = new JsonObject();
            attributes.forEach((k, v) -> a.add(k, v.deepCopy()));
            o.add("Attributes", a);
        }
        return o;
    }

    /**
     * @param json a field as {@link #toJson()} writes it
     * @param named whether it is a member (with {@code Member} and {@code Name}) rather than an element or value
     * @return the field
     * @throws IllegalArgumentException when it is not one
     */
    public static ConfigField fromJson(JsonElement json, boolean named) {
        if (!(json instanceof JsonObject o)) {
            throw new IllegalArgumentException("a config field must be an object, got " + json);
        }
        String member = named ? string(o, "Member", false) : null;
        String name = named ? string(o, "Name", false) : null;
        String type = string(o, "Type", false);
        List<ConfigField> fields = new ArrayList<>();
        JsonElement list = o.get("Fields");
        if (list != null) {
            if (!list.isJsonArray()) {
                throw new IllegalArgumentException("the Fields of a config field must be an array");
            }
            list.getAsJsonArray().forEach(f -> fields.add(fromJson(f, true)));
        }
        JsonElement attributes = o.get("Attributes");
        if (attributes != null && !attributes.isJsonObject()) {
            throw new IllegalArgumentException("the Attributes of a config field must be an object, got " + attributes);
        }
        return new ConfigField(member, name, type, string(o, "Default", true), fields,
                o.has("Elements") ? fromJson(o.get("Elements"), false) : null,
                o.has("Values") ? fromJson(o.get("Values"), false) : null,
                attributes == null ? null : attributes.getAsJsonObject().asMap());
    }

    private static String string(JsonObject o, String key, boolean optional) {
        JsonElement e = o.get(key);
        if (e == null && optional) {
            return null;
        }
        if (!(e instanceof JsonPrimitive p) || !p.isString()) {
            throw new IllegalArgumentException("a config field needs a string " + key + ", got " + o);
        }
        return p.getAsString();
    }

    /**
     * The naming rule.
     *
     * @param member the Java name
     * @param nameAnnotation the value of {@code @Name}, or {@code null}
     * @return the Kong field name
     */
    public static String kongName(String member, String nameAnnotation) {
        return nameAnnotation != null ? nameAnnotation : FieldNames.toKong(member);
    }

    /**
     * The Kong type of a primitive or JDK type, by its name.
     *
     * @param javaType a primitive's name ({@code int}) or a class's qualified name ({@code java.lang.Integer})
     * @return its Kong type, or {@code null} when it has none of its own (an enum, array, record or class is
     *         {@code string}, {@code array} or {@code record} by {@link #kongTypeOfEnum()} and the others; a JDK type
     *         not named here, {@code char} among them, has no Kong type)
     */
    public static String kongType(String javaType) {
        return NAMED_TYPES.get(javaType);
    }

    /**
     * @param javaType a primitive's name or a class's qualified name
     * @return whether it is a value type that no side accepts in a config ({@code char}, {@code Character})
     */
    public static boolean isRefused(String javaType) {
        return REFUSED_TYPES.contains(javaType);
    }

    /**
     * @param javaType a type that {@link #isRefused(String) is refused}
     * @return why, for a message after the field's name or path
     */
    public static String noKongType(String javaType) {
        return "has type " + javaType + ", which has no Kong type (Kong has no one-character string; use a String)";
    }

    /** @return the Kong type of an enum: the name of a constant, a {@code string} */
    public static String kongTypeOfEnum() {
        return "string";
    }

    /**
     * @param componentType the name of the array's component type
     * @return the Kong type of an array: {@code array}, or {@code null} for {@code byte[]} (binary data has none)
     */
    public static String kongTypeOfArray(String componentType) {
        return componentType.equals("byte") ? null : "array";
    }

    /**
     * @param packageName a type's package
     * @return whether it is the JDK's, whose types are config types only when {@link #kongType(String)} names them
     *         (everything else of the JDK is neither a value nor a record of fields)
     */
    public static boolean isJdkPackage(String packageName) {
        return packageName.equals("java") || packageName.startsWith("java.") || packageName.startsWith("javax.")
                || packageName.startsWith("jdk.") || packageName.startsWith("sun.")
                || packageName.startsWith("com.sun.");
    }

    /**
     * The member rule for a class's fields (record components are all members).
     *
     * @param isStatic whether the field is static
     * @param isTransient whether it is transient
     * @param isSynthetic whether the compiler made it
     * @return whether it is a config field
     */
    public static boolean isConfigField(boolean isStatic, boolean isTransient, boolean isSynthetic) {
        return !isStatic && !isTransient && !isSynthetic;
    }

    /**
     * The default rule: whether {@code @Default} is the value itself rather than JSON.
     *
     * @param type the Kong type
     * @return true for {@code string}
     */
    public static boolean defaultIsText(String type) {
        return "string".equals(type);
    }

    /**
     * @return the default as JSON, or {@code null} without one
     * @throws IllegalArgumentException when a default that should be JSON is not
     */
    public JsonElement defaultValue() {
        if (defaultText == null) {
            return null;
        }
        if (defaultIsText(type)) {
            return new JsonPrimitive(defaultText);
        }
        try {
            return JsonParser.parseString(defaultText);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("@Default(\"" + defaultText + "\") is not JSON", e);
        }
    }
}
