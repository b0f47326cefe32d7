package io.kjps.processor.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@code @Default} value against its field the way Kong will. Kong's plugin loader validates every default
 * against its own field when it loads the schema (the metaschema declares {@code default = { type = "self" }}), and
 * refuses to start on a default that does not fit the field's type, its {@code one_of}, {@code between}, {@code gt},
 * {@code len_min}, {@code len_max}, {@code starts_with} or {@code uuid}. ({@code match} takes a Lua pattern and is
 * not checked here.) A string is measured against an implicit {@code len_min} of 1 when its field declares none:
 * Kong's {@code Schema:validate_field} gives every string field without {@code len_min} the value 1 ("empty strings
 * are not accepted by default", {@code kong/db/schema/init.lua}), for the elements of arrays, sets and maps too. The
 * value must also fit the Java type the server decodes it into ({@code int} range, enum constants).
 *
 * <p>The check also normalises the value for writing: integers become {@link Long}, other numbers {@link Double}.
 */
public final class Defaults {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Defaults() {
    }

    /** A default that does not fit; the message says why. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    /**
     * Checks a value (as read by {@link Json#parse(String)}, or the literal text for a string field) against a field.
     *
     * @param value the value
     * @param type the field's type
     * @param attributes the field's other attributes (the constraints)
     * @param path where the value sits inside the default, for messages ({@code ""} at the top)
     * @return the normalised value
     * @throws Invalid when it does not fit
     */
    public static Object check(Object value, KongType type, Map<String, Object> attributes, String path)
            throws Invalid {
        Object v = normalize(value, type, path);
        constraints(v, attributes, path);
        return v;
    }

    private static String at(String path) {
        return path.isEmpty() ? "" : " at " + path;
    }

    private static String describe(Object value) {
        String text = Json.write(value);
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    private static Object normalize(Object value, KongType type, String path) throws Invalid {
        if (value == null) {
            throw new Invalid("null" + at(path) + " is not a value of Kong type " + type.kong());
        }
        if (type instanceof KongType.Scalar s) {
            return scalar(value, s, path);
        }
        if (type instanceof KongType.Collection c) {
            if (!(value instanceof List<?> list)) {
                throw new Invalid(describe(value) + at(path) + " is not a JSON array (Kong type " + c.kong() + ")");
            }
            List<Object> out = new ArrayList<>();
            Set<Object> seen = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                Object element = normalize(list.get(i), c.elements(), path + "[" + i + "]");
                notEmpty(element, path + "[" + i + "]");
                if (c.kong().equals("set") && !seen.add(element)) {
                    throw new Invalid(describe(element) + at(path + "[" + i + "]")
                            + " repeats an element of the set");
                }
                out.add(element);
            }
            return out;
        }
        if (type instanceof KongType.MapType m) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new Invalid(describe(value) + at(path) + " is not a JSON object (Kong type map)");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = (String) e.getKey();
                notEmpty(key, path + " (a key)");
                Object entry = normalize(e.getValue(), m.values(), path + "." + key);
                notEmpty(entry, path + "." + key);
                out.put(key, entry);
            }
            return out;
        }
        KongType.Record r = (KongType.Record) type;
        if (!(value instanceof Map<?, ?> map)) {
            throw new Invalid(describe(value) + at(path) + " is not a JSON object (Kong type record)");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = (String) e.getKey();
            KongType.Field field = r.fields().stream().filter(f -> f.name().equals(key)).findFirst().orElse(null);
            if (field == null) {
                List<String> names = r.fields().stream().map(KongType.Field::name).toList();
                throw new Invalid("the record has no field \"" + key + "\"" + at(path) + " (its fields: "
                        + String.join(", ", names) + ")");
            }
            Map<String, Object> constraints = new LinkedHashMap<>(field.attributes());
            constraints.remove("default");
            out.put(key, check(e.getValue(), field.type(), constraints, path + "." + key));
        }
        return out;
    }

    /** An element, key or value of a collection default: its field has no len_min, so Kong's implicit 1 holds. */
    private static void notEmpty(Object v, String path) throws Invalid {
        if (v instanceof String str && str.isEmpty()) {
            throw new Invalid("\"\"" + at(path) + " is empty, and Kong accepts no empty string in a field without "
                    + "len_min (it gives every string field len_min 1)");
        }
    }

    private static Object scalar(Object value, KongType.Scalar s, String path) throws Invalid {
        switch (s.javaKind()) {
            case STRING:
                if (value instanceof String) {
                    return value;
                }
                throw new Invalid(describe(value) + at(path) + " is not a JSON string (Kong type string)");
            case ENUM:
                if (value instanceof String str && s.enumConstants().contains(str)) {
                    return value;
                }
                throw new Invalid(describe(value) + at(path) + " is not one of the enum's constants "
                        + String.join(", ", s.enumConstants()));
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                throw new Invalid(describe(value) + at(path) + " is not true or false (Kong type boolean)");
            case FLOAT:
            case DOUBLE: {
                if (!(value instanceof Number n)) {
                    throw new Invalid(describe(value) + at(path) + " is not a JSON number (Kong type number)");
                }
                double d = n.doubleValue();
                boolean fits = Double.isFinite(d)
                        && (s.javaKind() == KongType.JavaKind.DOUBLE || Math.abs(d) <= Float.MAX_VALUE);
                if (!fits) {
                    throw new Invalid(describe(value) + at(path) + " is out of range for a Java "
                            + s.javaKind().name().toLowerCase(java.util.Locale.ROOT));
                }
                return d;
            }
            default: {
                BigDecimal d = value instanceof BigDecimal b ? b
                        : value instanceof Number n ? new BigDecimal(n.toString()) : null;
                if (d == null || d.stripTrailingZeros().scale() > 0) {
                    throw new Invalid(describe(value) + at(path) + " is not a whole number (Kong type integer)");
                }
                if (!s.javaKind().fits(d)) {
                    throw new Invalid(describe(value) + at(path) + " is out of range for a Java "
                            + s.javaKind().name().toLowerCase(java.util.Locale.ROOT));
                }
                return d.longValueExact();
            }
        }
    }

    private static void constraints(Object v, Map<String, Object> attributes, String path) throws Invalid {
        Object oneOf = attributes.get("one_of");
        if (oneOf instanceof List<?> options && !options.contains(v)) {
            throw new Invalid(describe(v) + at(path) + " is not one of its one_of values " + describe(options));
        }
        Object between = attributes.get("between");
        if (between instanceof List<?> range && v instanceof Number n) {
            double d = n.doubleValue();
            if (d < ((Number) range.get(0)).doubleValue() || d > ((Number) range.get(1)).doubleValue()) {
                throw new Invalid(describe(v) + at(path) + " is not between " + describe(range.get(0)) + " and "
                        + describe(range.get(1)));
            }
        }
        Object gt = attributes.get("gt");
        if (gt instanceof Number limit && v instanceof Number n && !(n.doubleValue() > limit.doubleValue())) {
            throw new Invalid(describe(v) + at(path) + " is not greater than " + describe(limit));
        }
        int length = v instanceof String str ? str.getBytes(StandardCharsets.UTF_8).length
                : v instanceof List<?> list ? list.size()
                : v instanceof Map<?, ?> map ? map.size() : -1;
        String unit = v instanceof String ? " bytes of UTF-8" : " elements";
        Object lenMin = attributes.get("len_min");
        if (lenMin instanceof Number min && length >= 0 && length < min.intValue()) {
            throw new Invalid(describe(v) + at(path) + " is shorter than len_min " + min + " (" + length + unit
                    + ")");
        }
        if (lenMin == null && v instanceof String str && str.isEmpty()) {
            throw new Invalid("\"\"" + at(path) + " is empty, and Kong accepts no empty string in a field without "
                    + "len_min (it gives every string field len_min 1): give the field @LenMin(0)");
        }
        Object lenMax = attributes.get("len_max");
        if (lenMax instanceof Number max && length >= 0 && length > max.intValue()) {
            throw new Invalid(describe(v) + at(path) + " is longer than len_max " + max + " (" + length + unit
                    + ")");
        }
        Object startsWith = attributes.get("starts_with");
        if (startsWith instanceof String prefix && v instanceof String str && !str.startsWith(prefix)) {
            throw new Invalid(describe(v) + at(path) + " does not start with " + describe(prefix));
        }
        if (Boolean.TRUE.equals(attributes.get("uuid")) && v instanceof String str
                && !UUID.matcher(str).matches()) {
            throw new Invalid(describe(v) + at(path) + " is not a UUID");
        }
    }
}
