package io.kjps.rpc.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.kjps.model.ConfigField;
import io.kjps.plugin.config.Default;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes Kong's plugin {@code Config} JSON into a plugin's config type.
 *
 * <p>Lenient where Kong is loose and strict where the plugin's types are: unknown keys (Kong adds {@code __key__},
 * {@code __seq__}, {@code __plugin_id}, {@code __ws_id}, {@code route_id}, ...) are ignored; {@code null} and
 * missing fields take their {@link Default} (else {@code null}, or zero/false for primitives); an empty JSON
 * object stands for an empty list and an empty array for an empty map or record (Lua cannot tell them apart); a
 * value of the wrong type is a {@link ConfigException} naming the field path.
 */
public final class ConfigDecoder {
    private final Class<?> type;
    /** The config record's shape as the processor resolved it, or {@code null} to resolve it here. */
    private final ConfigField shape;

    private ConfigDecoder(Class<?> type, ConfigField shape) {
        this.type = type;
        this.shape = shape;
    }

    /**
     * @param type the config type, or {@code null}/{@code Void} for a plugin without config
     * @return a decoder for it
     */
    public static ConfigDecoder forType(Class<?> type) {
        return new ConfigDecoder(type, null);
    }

    /**
     * A decoder that follows the config fields the processor resolved (the descriptor's {@code Config}): their
     * Kong names and defaults, for the Java members they name. It reads no annotations.
     *
     * @param type the config type, or {@code null}/{@code Void} for a plugin without config
     * @param resolved the descriptor's resolved fields, or {@code null} when the descriptor has none (then the
     *                 fields are resolved from the type by the same rules)
     * @return a decoder for it
     */
    public static ConfigDecoder forType(Class<?> type, List<ConfigField> resolved) {
        return new ConfigDecoder(type, resolved == null ? null : ConfigField.shape("record", resolved, null, null));
    }

    /** @return the config type, or {@code null} */
    public Class<?> type() {
        return type;
    }

    /**
     * @param json the {@code Config} string from {@code plugin.StartInstance}
     * @return the decoded config object, or {@code null} for a plugin without config type
     * @throws ConfigException when the JSON or a field does not fit
     */
    public Object decode(String json) {
        if (type == null || type == Void.class) {
            return null;
        }
        JsonElement root;
        try {
            root = json == null || json.isBlank() ? new JsonObject() : JsonParser.parseString(json);
        } catch (RuntimeException e) {
            throw new ConfigException("config is not JSON: " + e.getMessage(), e);
        }
        return convert(root, type, shape, "config");
    }

    /** @param shape the value's resolved shape, or {@code null} to resolve records from their type */
    private static Object convert(JsonElement e, Type target, ConfigField shape, String path) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        Class<?> raw = rawType(target);
        if (raw == String.class) {
            return primitive(e, path, "a string").getAsString();
        } else if (raw == Object.class) {
            return generic(e);
        } else if (raw == boolean.class || raw == Boolean.class) {
            JsonPrimitive p = primitive(e, path, "a boolean");
            if (!p.isBoolean()) {
                throw mismatch(path, "a boolean", e);
            }
            return p.getAsBoolean();
        } else if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class
                || raw == short.class || raw == Short.class || raw == byte.class || raw == Byte.class) {
            BigDecimal n = number(e, path, "an integer");
            try {
                long v = n.longValueExact();
                if (raw == int.class || raw == Integer.class) {
                    return Math.toIntExact(v);
                } else if (raw == short.class || raw == Short.class) {
                    return n.shortValueExact();
                } else if (raw == byte.class || raw == Byte.class) {
                    return n.byteValueExact();
                }
                return v;
            } catch (ArithmeticException notIntegral) {
                throw new ConfigException(path + ": expected an integer that fits " + raw.getSimpleName() + ", got "
                        + e);
            }
        } else if (raw == double.class || raw == Double.class) {
            return number(e, path, "a number").doubleValue();
        } else if (raw == float.class || raw == Float.class) {
            return number(e, path, "a number").floatValue();
        } else if (raw.isEnum()) {
            String s = primitive(e, path, "one of the names of " + raw.getSimpleName()).getAsString();
            for (Object constant : raw.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(s)) {
                    return constant;
                }
            }
            throw new ConfigException(path + ": \"" + s + "\" is not one of " + List.of(raw.getEnumConstants()));
        } else if (raw.isArray()) {
            Class<?> component = raw.getComponentType();
            List<Object> items = list(e, component, shape == null ? null : shape.elements(), path);
            Object array = Array.newInstance(component, items.size());
            for (int i = 0; i < items.size(); i++) {
                Object item = items.get(i);
                // a null element of a primitive array is zero, as a null primitive field is
                Array.set(array, i, item == null && component.isPrimitive() ? zero(component) : item);
            }
            return array;
        } else if (Set.class.isAssignableFrom(raw)) {
            return new LinkedHashSet<>(list(e, typeArgument(target, 0), shape == null ? null : shape.elements(),
                    path));
        } else if (Collection.class.isAssignableFrom(raw)) {
            return list(e, typeArgument(target, 0), shape == null ? null : shape.elements(), path);
        } else if (Map.class.isAssignableFrom(raw)) {
            Map<String, Object> map = new LinkedHashMap<>();
            if (isEmptyArray(e)) {
                return map;
            }
            if (!e.isJsonObject()) {
                throw mismatch(path, "a map", e);
            }
            Type valueType = typeArgument(target, 1);
            for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
                map.put(entry.getKey(), convert(entry.getValue(), valueType, shape == null ? null : shape.values(),
                        path + "." + entry.getKey()));
            }
            return map;
        } else if (raw.isRecord()) {
            return record(object(e, path), raw, shape, path);
        } else if (!raw.isPrimitive() && !raw.isInterface() && !Modifier.isAbstract(raw.getModifiers())) {
            return bean(object(e, path), raw, shape, path);
        }
        throw new ConfigException(path + ": the config type " + target.getTypeName() + " cannot be decoded");
    }

    private static Object record(JsonObject json, Class<?> type, ConfigField shape, String path) {
        List<ConfigMembers.Member> members = members(type, shape, path);
        Class<?>[] types = new Class<?>[members.size()];
        Object[] values = new Object[members.size()];
        for (int i = 0; i < members.size(); i++) {
            ConfigMembers.Member m = members.get(i);
            types[i] = m.raw();
            values[i] = field(json, m, path);
        }
        try {
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw new ConfigException(path + ": the constructor of " + type.getName() + " rejected the config: "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ConfigException(path + ": cannot construct " + type.getName() + ": " + e, e);
        }
    }

    private static Object bean(JsonObject json, Class<?> type, ConfigField shape, String path) {
        List<ConfigMembers.Member> members = members(type, shape, path);
        Object instance;
        try {
            Constructor<?> ctor = type.getDeclaredConstructor();
            ctor.setAccessible(true);
            instance = ctor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ConfigException(path + ": " + type.getName() + " needs a no-argument constructor: " + e, e);
        }
        for (ConfigMembers.Member m : members) {
            Object value = field(json, m, path);
            if (value == null && m.raw().isPrimitive()) {
                continue;
            }
            Field f = (Field) m.element();
            try {
                f.setAccessible(true);
                f.set(instance, value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new ConfigException(path + ": cannot set " + f.getName() + ": " + e, e);
            }
        }
        return instance;
    }

    private static Object field(JsonObject json, ConfigMembers.Member m, String path) {
        ConfigField f = m.field();
        String fieldPath = path + "." + f.name();
        if (ConfigField.isRefused(m.raw().getName())) {
            throw new ConfigException(fieldPath + " " + ConfigField.noKongType(m.raw().getName()));
        }
        JsonElement value = json.get(f.name());
        if (value == null || value.isJsonNull()) {
            try {
                value = f.defaultValue();
            } catch (IllegalArgumentException e) {
                throw new ConfigException(fieldPath + ": " + e.getMessage(), e);
            }
        }
        Object converted = convert(value, m.generic(), m.resolved() ? f : null, fieldPath);
        if (converted == null && m.raw().isPrimitive()) {
            return zero(m.raw());
        }
        return converted;
    }

    private static List<ConfigMembers.Member> members(Class<?> type, ConfigField shape, String path) {
        try {
            return ConfigMembers.of(type, shape == null ? null : shape.fields());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ": " + e.getMessage(), e);
        }
    }

    private static List<Object> list(JsonElement e, Type elementType, ConfigField shape, String path) {
        List<Object> out = new ArrayList<>();
        if (e.isJsonObject() && e.getAsJsonObject().isEmpty()) {
            return out;
        }
        if (!e.isJsonArray()) {
            throw mismatch(path, "an array", e);
        }
        JsonArray array = e.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            out.add(convert(array.get(i), elementType, shape, path + "[" + (i + 1) + "]"));
        }
        return out;
    }

    private static JsonObject object(JsonElement e, String path) {
        if (isEmptyArray(e)) {
            return new JsonObject();
        }
        if (!e.isJsonObject()) {
            throw mismatch(path, "a record (JSON object)", e);
        }
        return e.getAsJsonObject();
    }

    private static boolean isEmptyArray(JsonElement e) {
        return e.isJsonArray() && e.getAsJsonArray().isEmpty();
    }

    private static JsonPrimitive primitive(JsonElement e, String path, String expected) {
        if (!e.isJsonPrimitive()) {
            throw mismatch(path, expected, e);
        }
        return e.getAsJsonPrimitive();
    }

    private static BigDecimal number(JsonElement e, String path, String expected) {
        JsonPrimitive p = primitive(e, path, expected);
        if (!p.isNumber()) {
            throw mismatch(path, expected, e);
        }
        try {
            return p.getAsBigDecimal();
        } catch (NumberFormatException outOfRange) {
            // Gson refuses exponents beyond 10000 (found by ConfigFuzzTest: {"count":1e40000})
            throw new ConfigException(path + ": expected " + expected + ", got a number out of range: " + e,
                    outOfRange);
        }
    }

    private static Object generic(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        } else if (e.isJsonArray()) {
            List<Object> list = new ArrayList<>();
            for (JsonElement item : e.getAsJsonArray()) {
                list.add(generic(item));
            }
            return list;
        } else if (e.isJsonObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
                map.put(entry.getKey(), generic(entry.getValue()));
            }
            return map;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        } else if (p.isNumber()) {
            BigDecimal n = p.getAsBigDecimal();
            try {
                return n.longValueExact();
            } catch (ArithmeticException notIntegral) {
                return n.doubleValue();
            }
        }
        return p.getAsString();
    }

    private static ConfigException mismatch(String path, String expected, JsonElement got) {
        String shown = got.toString();
        if (shown.length() > 60) {
            shown = shown.substring(0, 60) + "...";
        }
        return new ConfigException(path + ": expected " + expected + ", got " + shown);
    }

    private static Class<?> rawType(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        } else if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        } else if (t instanceof WildcardType w) {
            return rawType(w.getUpperBounds()[0]);
        }
        return Object.class;
    }

    private static Type typeArgument(Type t, int index) {
        if (t instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }

    private static Object zero(Class<?> primitive) {
        if (primitive == boolean.class) {
            return false;
        } else if (primitive == int.class) {
            return 0;
        } else if (primitive == long.class) {
            return 0L;
        } else if (primitive == double.class) {
            return 0d;
        } else if (primitive == float.class) {
            return 0f;
        } else if (primitive == short.class) {
            return (short) 0;
        } else if (primitive == byte.class) {
            return (byte) 0;
        }
        return '\0';
    }
}
