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
import java.util.List;

/**
 * The members of a config class at run time, resolved by the plugin model's rules ({@link ConfigField}): which
 * members make the config, in which order, and each one's Kong name, Kong type and default. The decoder reads
 * Kong's config by them and the test kit writes a config object by them, so the two agree with each other and with
 * the schema the processor wrote.
 */
public final class ConfigMembers {

    /**
     * One member.
     *
     * @param field the resolved field
     * @param element the record component or field, for reading and writing it
     * @param raw its class
     * @param generic its generic type
     */
    public record Member(ConfigField field, AnnotatedElement element, Class<?> raw, Type generic) {
    }

    private ConfigMembers() {
    }

    /**
     * @param type a record or a class
     * @return its config members: a record's components in order, a class's fields (superclasses' first)
     */
    public static List<Member> of(Class<?> type) {
        List<Member> out = new ArrayList<>();
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                out.add(member(c, c.getName(), c.getType(), c.getGenericType()));
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
                    out.add(member(f, f.getName(), f.getType(), f.getGenericType()));
                }
            }
        }
        return out;
    }

    private static Member member(AnnotatedElement e, String javaName, Class<?> raw, Type generic) {
        Name name = e.getAnnotation(Name.class);
        Default dflt = e.getAnnotation(Default.class);
        return new Member(ConfigField.of(javaName, name == null ? null : name.value(), kongType(raw),
                dflt == null ? null : dflt.value()), e, raw, generic);
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
