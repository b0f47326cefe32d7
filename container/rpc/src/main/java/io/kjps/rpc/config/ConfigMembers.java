package io.kjps.rpc.config;

import io.kjps.model.ConfigField;
import io.kjps.plugin.config.Default;
import io.kjps.plugin.config.Name;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The members of a config class at run time, with their resolved fields ({@link ConfigField}): which members make
 * the config, in which order, and each one's Kong name, Kong type and default. Given the fields the processor
 * resolved (the descriptor's {@code Config}) it follows them and reads no annotation; without them (a descriptor
 * from before they were written, a test) it resolves them by the plugin model's rules. The decoder reads Kong's
 * config and the test kit writes a config object by these members, so the two agree with each other and with the
 * schema the processor wrote.
 */
public final class ConfigMembers {

    /**
     * One member.
     *
     * @param field the resolved field
     * @param element the record component or field, for reading and writing it
     * @param raw its class
     * @param generic its generic type
     * @param resolved whether {@code field} comes from the processor, with the shapes of nested records,
     *                 elements and values ({@code false}: those are resolved from their types in turn)
     */
    public record Member(ConfigField field, AnnotatedElement element, Class<?> raw, Type generic,
                         boolean resolved) {
    }

    /** A record component or field before it is resolved. */
    private record Slot(AnnotatedElement element, String javaName, Class<?> raw, Type generic) {
    }

    private ConfigMembers() {
    }

    /**
     * @param type a record or a class
     * @return its config members, resolved by the model's rules from the type and its annotations: a record's
     *         components in order, a class's fields (superclasses' first)
     */
    public static List<Member> of(Class<?> type) {
        List<Member> out = new ArrayList<>();
        for (Slot s : slots(type)) {
            Name name = s.element().getAnnotation(Name.class);
            Default dflt = s.element().getAnnotation(Default.class);
            out.add(new Member(ConfigField.of(s.javaName(), name == null ? null : name.value(), kongType(s.raw()),
                    dflt == null ? null : dflt.value()), s.element(), s.raw(), s.generic(), false));
        }
        return out;
    }

    /**
     * @param type a record or a class
     * @param resolved its fields as the processor resolved them, or {@code null} to resolve them here
     * @return its config members, in the type's order, each with the field that names it
     * @throws IllegalArgumentException when the type and the resolved fields do not name the same members (the
     *         class changed after its descriptor was written)
     */
    public static List<Member> of(Class<?> type, List<ConfigField> resolved) {
        if (resolved == null) {
            return of(type);
        }
        Map<String, ConfigField> byMember = new LinkedHashMap<>();
        resolved.forEach(f -> byMember.put(f.member(), f));
        List<Member> out = new ArrayList<>();
        for (Slot s : slots(type)) {
            ConfigField f = byMember.remove(s.javaName());
            if (f == null) {
                throw new IllegalArgumentException(type.getName() + " has member " + s.javaName()
                        + ", which its plugin descriptor does not describe: rebuild the plugin");
            }
            out.add(new Member(f, s.element(), s.raw(), s.generic(), true));
        }
        if (!byMember.isEmpty()) {
            throw new IllegalArgumentException("the plugin descriptor describes " + byMember.keySet() + ", which "
                    + type.getName() + " does not have: rebuild the plugin");
        }
        return out;
    }

    private static List<Slot> slots(Class<?> type) {
        List<Slot> out = new ArrayList<>();
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                out.add(new Slot(c, c.getName(), c.getType(), c.getGenericType()));
            }
            return out;
        }
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            chain.add(0, c);
        }
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (ConfigField.isConfigField(Modifier.isStatic(mod), Modifier.isTransient(mod), f.isSynthetic())) {
                    out.add(new Slot(f, f.getName(), f.getType(), f.getGenericType()));
                }
            }
        }
        return out;
    }

    /**
     * @param raw a Java class
     * @return its Kong type by the model's rule, or {@code null} when it has none
     */
    public static String kongType(Class<?> raw) {
        if (raw.isEnum()) {
            return ConfigField.kongTypeOfEnum();
        } else if (raw.isArray()) {
            return ConfigField.kongTypeOfArray(raw.getComponentType().getName());
        }
        String named = ConfigField.kongType(raw.getName());
        if (named != null || raw.isPrimitive() || ConfigField.isJdkPackage(raw.getPackageName())) {
            return named;
        }
        return "record";
    }
}
