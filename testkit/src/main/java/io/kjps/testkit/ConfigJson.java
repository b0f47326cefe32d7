package io.kjps.testkit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.kjps.plugin.config.Name;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.rpc.config.ConfigMembers;
import io.kjps.model.ConfigField;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes a plugin's config object as the JSON Kong sends in {@code plugin.StartInstance}, the inverse of
 * {@link ConfigDecoder}, by the same members and names ({@link ConfigMembers}, the plugin model's rules: record
 * components in declaration order, the fields of a config class, its superclasses' first, without static,
 * transient and synthetic ones; {@link Name}, else the Java name in snake_case), enums by {@code name()},
 * collections and arrays as arrays, maps as objects. A {@code char} is refused, as the processor and the decoder
 * refuse it. A {@code null} field is written as JSON {@code null}, as Kong sends a field that has no
 * value, so the decoder applies its {@code @Default}; with the resolved fields, a {@code null} field that is
 * {@code required} without a default is refused as Kong refuses it ({@link ConfigField#requiredWithoutDefault()}).
 */
final class ConfigJson {
    /** Deeper than any config; a cycle between objects ends here instead of in a stack overflow. */
    private static final int MAX_DEPTH = 64;

    private ConfigJson() {
    }

    /**
     * @param config the config object
     * @return its JSON text
     * @throws IllegalArgumentException naming the path of a value JSON cannot hold (a non-finite number, a map
     *         key that is not a string, enum, number or boolean, a JDK type other than the ones above, or a cycle)
     */
    static String write(Object config) {
        return value(config, null, "config", 0).toString();
    }

    /**
     * @param config the config object
     * @param resolved its fields as the processor resolved them (the descriptor's {@code Config}), or {@code null}
     * @return its JSON text, by the names the decoder follows
     * @throws IllegalArgumentException as {@link #write(Object)}, and when the object's type and the resolved fields
     *         do not name the same members
     */
    static String write(Object config, List<ConfigField> resolved) {
        return value(config, resolved == null ? null : ConfigField.shape("record", resolved, null, null), "config", 0)
                .toString();
    }

    /** @param shape the value's resolved shape, or {@code null} to resolve records from their type */
    private static JsonElement value(Object v, ConfigField shape, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(path + ": nested more than " + MAX_DEPTH + " levels (a cycle?)");
        }
        if (v == null) {
            return JsonNull.INSTANCE;
        } else if (v instanceof String s) {
            return new JsonPrimitive(s);
        } else if (v instanceof Character) {
            throw new IllegalArgumentException(path + " " + ConfigField.noKongType(Character.class.getName()));
        } else if (v instanceof Boolean b) {
            return new JsonPrimitive(b);
        } else if (v instanceof Number n) {
            if ((n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue())) {
                throw new IllegalArgumentException(path + ": " + n + " cannot be written as JSON");
            }
            return new JsonPrimitive(n);
        } else if (v instanceof Enum<?> e) {
            return new JsonPrimitive(e.name());
        } else if (v instanceof Map<?, ?> m) {
            JsonObject o = new JsonObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = key(e.getKey(), path);
                o.add(key, value(e.getValue(), shape == null ? null : shape.values(), path + "." + key, depth + 1));
            }
            return o;
        } else if (v instanceof Collection<?> c) {
            return array(new ArrayList<>(c), shape, path, depth);
        } else if (v.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                items.add(Array.get(v, i));
            }
            return array(items, shape, path, depth);
        } else if (v.getClass().isRecord()) {
            return fields(v, shape, path, depth);
        }
        String type = v.getClass().getName();
        if (ConfigField.isJdkPackage(v.getClass().getPackageName())) {
            throw new IllegalArgumentException(path + ": a " + type + " is not a config value (use strings, numbers,"
                    + " booleans, enums, lists, sets, maps, arrays, records or classes with fields)");
        }
        return fields(v, shape, path, depth);
    }

    private static String key(Object k, String path) {
        if (k instanceof String s) {
            return s;
        } else if (k instanceof Enum<?> e) {
            return e.name();
        } else if (k instanceof Number || k instanceof Boolean || k instanceof Character) {
            return k.toString();
        }
        throw new IllegalArgumentException(path + ": a map key must be a string, enum, number or boolean, got "
                + (k == null ? "null" : k.getClass().getName()));
    }

    private static JsonArray array(List<Object> items, ConfigField shape, String path, int depth) {
        JsonArray a = new JsonArray();
        for (int i = 0; i < items.size(); i++) {
            a.add(value(items.get(i), shape == null ? null : shape.elements(), path + "[" + (i + 1) + "]",
                    depth + 1));
        }
        return a;
    }

    /** A record's components or a class's fields, as {@link ConfigMembers} lists them. */
    private static JsonObject fields(Object v, ConfigField shape, String path, int depth) {
        JsonObject o = new JsonObject();
        List<ConfigMembers.Member> members;
        try {
            members = ConfigMembers.of(v.getClass(), shape == null ? null : shape.fields());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
        for (ConfigMembers.Member m : members) {
            String name = m.field().name();
            Object value;
            try {
                value = read(m.element(), v);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalArgumentException(path + "." + name + ": cannot read " + m.field().member() + " of "
                        + v.getClass().getName() + ": " + e, e);
            }
            o.add(name, member(m, value, path + "." + name, depth));
        }
        return o;
    }

    private static Object read(AnnotatedElement element, Object v) throws ReflectiveOperationException {
        if (element instanceof RecordComponent c) {
            Method accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(v);
        }
        Field f = (Field) element;
        f.setAccessible(true);
        return f.get(v);
    }

    /**
     * A member of a type the model refuses is refused whatever its value, as the processor and decoder do; a
     * {@code null} member that Kong requires and cannot fill from a default is refused with Kong's words, as Kong
     * refuses such a config before it reaches the server.
     */
    private static JsonElement member(ConfigMembers.Member m, Object value, String path, int depth) {
        if (ConfigField.isRefused(m.raw().getName())) {
            throw new IllegalArgumentException(path + " " + ConfigField.noKongType(m.raw().getName()));
        }
        if (value == null && m.resolved() && m.field().requiredWithoutDefault()) {
            throw new IllegalArgumentException(path + ": required field missing (Kong refuses this config)");
        }
        return value(value, m.resolved() ? m.field() : null, path, depth + 1);
    }
}
