package io.kjps.testkit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.kjps.plugin.config.Name;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.model.FieldNames;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes a plugin's config object as the JSON Kong sends in {@code plugin.StartInstance}, the inverse of
 * {@link ConfigDecoder}: the same field names ({@link Name}, else the Java name in snake_case by
 * {@link FieldNames#toKong}), record components in declaration order, the fields of a config class (its own and its
 * superclasses', without static, transient and synthetic ones), enums by {@code name()}, collections and arrays as
 * arrays, maps as objects. A {@code null} field is written as JSON {@code null}, as Kong sends a field that has no
 * value, so the decoder applies its {@code @Default}.
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
        return value(config, "config", 0).toString();
    }

    private static JsonElement value(Object v, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(path + ": nested more than " + MAX_DEPTH + " levels (a cycle?)");
        }
        if (v == null) {
            return JsonNull.INSTANCE;
        } else if (v instanceof String s) {
            return new JsonPrimitive(s);
        } else if (v instanceof Character c) {
            return new JsonPrimitive(c.toString());
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
                o.add(key, value(e.getValue(), path + "." + key, depth + 1));
            }
            return o;
        } else if (v instanceof Collection<?> c) {
            return array(new ArrayList<>(c), path, depth);
        } else if (v.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                items.add(Array.get(v, i));
            }
            return array(items, path, depth);
        } else if (v.getClass().isRecord()) {
            return record(v, path, depth);
        }
        String type = v.getClass().getName();
        if (type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("jdk.")
                || type.startsWith("sun.")) {
            throw new IllegalArgumentException(path + ": a " + type + " is not a config value (use strings, numbers,"
                    + " booleans, enums, lists, sets, maps, arrays, records or classes with fields)");
        }
        return bean(v, path, depth);
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

    private static JsonArray array(List<Object> items, String path, int depth) {
        JsonArray a = new JsonArray();
        for (int i = 0; i < items.size(); i++) {
            a.add(value(items.get(i), path + "[" + (i + 1) + "]", depth + 1));
        }
        return a;
    }

    private static JsonObject record(Object v, String path, int depth) {
        JsonObject o = new JsonObject();
        for (RecordComponent c : v.getClass().getRecordComponents()) {
            String name = kongName(c, c.getName());
            Object value;
            try {
                Method accessor = c.getAccessor();
                accessor.setAccessible(true);
                value = accessor.invoke(v);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalArgumentException(path + "." + name + ": cannot read " + c.getName() + " of "
                        + v.getClass().getName() + ": " + e, e);
            }
            o.add(name, value(value, path + "." + name, depth + 1));
        }
        return o;
    }

    private static JsonObject bean(Object v, String path, int depth) {
        // superclass fields first, as a reader of the class would list them
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = v.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            chain.add(0, c);
        }
        JsonObject o = new JsonObject();
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.isSynthetic()) {
                    continue;
                }
                String name = kongName(f, f.getName());
                Object value;
                try {
                    f.setAccessible(true);
                    value = f.get(v);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalArgumentException(path + "." + name + ": cannot read " + f.getName() + " of "
                            + v.getClass().getName() + ": " + e, e);
                }
                o.add(name, value(value, path + "." + name, depth + 1));
            }
        }
        return o;
    }

    private static String kongName(AnnotatedElement element, String javaName) {
        Name name = element.getAnnotation(Name.class);
        return name != null ? name.value() : FieldNames.toKong(javaName);
    }
}
