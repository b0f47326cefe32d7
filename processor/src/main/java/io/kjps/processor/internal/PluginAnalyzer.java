package io.kjps.processor.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.kjps.model.ConfigField;
import io.kjps.model.PluginDescriptor;
import io.kjps.model.PluginRules;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks one {@code @KongPlugin} class and collects what Kong is told about it: name, version, priority, phases and
 * the config schema.
 */
public final class PluginAnalyzer {

    /** The annotation's qualified name. */
    public static final String KONG_PLUGIN = "io.kjps.plugin.KongPlugin";

    /** The phase handler interface's qualified name. */
    public static final String PHASE_HANDLER = "io.kjps.plugin.KongPhaseHandler";


    /**
     * A checked plugin.
     *
     * @param name the plugin name
     * @param version the version
     * @param priority the priority
     * @param phases the phases, in Kong's order
     * @param handler the binary name of the handler class
     * @param configType the binary name of the config type, or {@code null} without config
     * @param config the config record (no fields without config)
     */
    public record AnalyzedPlugin(String name, String version, int priority, List<String> phases, String handler,
            String configType, KongType.Record config) {

        /**
         * The descriptor written for the plugin, in the plugin model's format.
         *
         * @return the descriptor
         */
        public PluginDescriptor descriptor() {
            Map<String, Object> schema = new LinkedHashMap<>();
            schema.put("name", name);
            Map<String, Object> configEntry = new LinkedHashMap<>();
            configEntry.put("config", config.schema());
            schema.put("fields", List.of(configEntry));
            return PluginDescriptor.of(name, version, priority, phases, Json.write(schema), handler, configType,
                    configType == null ? null : resolved(config));
        }

        /** The fields as the decoder follows them: the processor is the only code that reads the annotations. */
        private static List<ConfigField> resolved(KongType.Record record) {
            List<ConfigField> out = new ArrayList<>();
            for (KongType.Field f : record.fields()) {
                Object dflt = f.attributes().get("default");
                String defaultText = !f.attributes().containsKey("default") ? null
                        : ConfigField.defaultIsText(f.type().kong()) ? (String) dflt : Json.write(dflt);
                ConfigField shape = shape(f.type());
                out.add(new ConfigField(f.element().getSimpleName().toString(), f.name(), f.type().kong(),
                        defaultText, shape.fields(), shape.elements(), shape.values(), attributes(f)));
            }
            return out;
        }

        /** The field's attributes in its Kong schema but its default (which the resolved field holds as text). */
        private static Map<String, JsonElement> attributes(KongType.Field f) {
            Map<String, Object> attributes = new LinkedHashMap<>(f.attributes());
            attributes.remove("default");
            return JsonParser.parseString(Json.write(attributes)).getAsJsonObject().asMap();
        }

        private static ConfigField shape(KongType type) {
            if (type instanceof KongType.Record r) {
                return ConfigField.shape(r.kong(), resolved(r), null, null);
            } else if (type instanceof KongType.Collection c) {
                return ConfigField.shape(c.kong(), List.of(), shape(c.elements()), null);
            } else if (type instanceof KongType.MapType m) {
                return ConfigField.shape(m.kong(), List.of(), null, shape(m.values()));
            }
            return ConfigField.shape(type.kong(), List.of(), null, null);
        }
    }

    /**
     * The outcome of a check.
     *
     * @param name the plugin name when it is valid (for the duplicate check), else {@code null}
     * @param plugin the plugin, or {@code null} when errors were found
     */
    public record Analysis(String name, AnalyzedPlugin plugin) {
    }

    private final ProcessingEnvironment env;
    private final Elements elements;
    private final Types types;
    private final Problems problems;

    /**
     * Creates an analyzer that reports to {@code problems}.
     *
     * @param env the processing environment
     * @param problems where errors go
     */
    public PluginAnalyzer(ProcessingEnvironment env, Problems problems) {
        this.env = env;
        this.elements = env.getElementUtils();
        this.types = env.getTypeUtils();
        this.problems = problems;
    }

    /**
     * Checks a class annotated with {@code @KongPlugin}.
     *
     * @param type the class
     * @param annotation its {@code @KongPlugin}
     * @return the outcome
     * @throws Problems.Deferred when a type is not resolved yet
     */
    public Analysis analyze(TypeElement type, AnnotationMirror annotation) {
        Object nameValue = value(annotation, "name");
        Object versionValue = value(annotation, "version");
        Object priorityValue = value(annotation, "priority");
        if (!(nameValue instanceof String name) || !(versionValue instanceof String version)
                || !(priorityValue instanceof Integer priority)) {
            // a missing or malformed value is a compile error javac reports itself
            return new Analysis(null, null);
        }
        String nameProblem = PluginRules.nameProblem(name);
        boolean nameOk = nameProblem == null;
        if (!nameOk) {
            problems.error(type, annotation, "@KongPlugin name \"" + name + "\" of " + type + " " + nameProblem);
        }
        String versionProblem = PluginRules.versionProblem(version);
        if (versionProblem != null) {
            problems.error(type, annotation, "@KongPlugin version \"" + version + "\" of " + type + " "
                    + versionProblem);
        }
        String where = "@KongPlugin class " + type.getQualifiedName();
        if (type.getKind() != ElementKind.CLASS || type.getModifiers().contains(Modifier.ABSTRACT)
                || !type.getModifiers().contains(Modifier.PUBLIC)) {
            problems.error(type, annotation, where + " must be a concrete public class implementing "
                    + PHASE_HANDLER + " (the server's framework creates it)");
            return new Analysis(nameOk ? name : null, null);
        }
        if (type.getNestingKind() != NestingKind.TOP_LEVEL && !(type.getNestingKind() == NestingKind.MEMBER
                && type.getModifiers().contains(Modifier.STATIC))) {
            problems.error(type, annotation, where + " must be a top-level or static nested class");
            return new Analysis(nameOk ? name : null, null);
        }
        TypeElement handlerInterface = elements.getTypeElement(PHASE_HANDLER);
        if (handlerInterface == null) {
            problems.error(type, annotation, PHASE_HANDLER + " is not on the class path; add the "
                    + "kong-java-pluginserver-api dependency");
            return new Analysis(nameOk ? name : null, null);
        }
        DeclaredType handlerType = findSupertype((DeclaredType) type.asType(), handlerInterface);
        if (handlerType == null) {
            problems.error(type, annotation, where + " does not implement " + PHASE_HANDLER + "<C>");
            return new Analysis(nameOk ? name : null, null);
        }

        String configType = null;
        KongType.Record config = new KongType.Record(List.of());
        if (!handlerType.getTypeArguments().isEmpty()) {
            TypeMirror c = handlerType.getTypeArguments().get(0);
            if (c.getKind() == TypeKind.ERROR) {
                throw new Problems.Deferred(c.toString());
            }
            if (c.getKind() != TypeKind.DECLARED) {
                problems.error(type, annotation, where + " implements " + handlerType + ": its config type " + c
                        + " must be a record or class (or Void for none), bound by the class itself");
            } else if (!((TypeElement) ((DeclaredType) c).asElement()).getQualifiedName()
                    .contentEquals("java.lang.Void")) {
                configType = elements.getBinaryName((TypeElement) ((DeclaredType) c).asElement()).toString();
                config = new ConfigSchemas(env, problems).config((DeclaredType) c, type);
            }
        }

        List<String> phases = phases(type, handlerInterface);
        if (phases.isEmpty()) {
            problems.error(type, annotation, where + " handles no phase: override at least one of "
                    + String.join(", ", PluginRules.PHASES) + " from " + PHASE_HANDLER);
        }
        if (problems.any()) {
            return new Analysis(nameOk ? name : null, null);
        }
        return new Analysis(name, new AnalyzedPlugin(name, version, priority, List.copyOf(phases),
                elements.getBinaryName(type).toString(), configType, config));
    }

    private Object value(AnnotationMirror am, String name) {
        return AnnotationValues.value(elements, am, name);
    }

    /** The parameterization of {@code target} among the supertypes of {@code start}, or null. */
    private DeclaredType findSupertype(DeclaredType start, TypeElement target) {
        Deque<TypeMirror> queue = new ArrayDeque<>(List.of(start));
        Set<String> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            TypeMirror t = queue.poll();
            if (t.getKind() == TypeKind.ERROR) {
                throw new Problems.Deferred(t.toString());
            }
            if (t.getKind() != TypeKind.DECLARED || !seen.add(t.toString())) {
                continue;
            }
            if (((DeclaredType) t).asElement().equals(target)) {
                return (DeclaredType) t;
            }
            queue.addAll(types.directSupertypes(t));
        }
        return null;
    }

    /**
     * The phases whose method some class or interface below KongPhaseHandler overrides, in Kong's order. An
     * override anywhere in the hierarchy counts (a superclass, or a default method of an interface that extends
     * KongPhaseHandler): it is code Kong has to call.
     */
    private List<String> phases(TypeElement type, TypeElement handlerInterface) {
        List<TypeElement> hierarchy = new ArrayList<>();
        Deque<TypeMirror> queue = new ArrayDeque<>(List.of(type.asType()));
        Set<TypeElement> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            TypeMirror t = queue.poll();
            if (t.getKind() != TypeKind.DECLARED) {
                continue;
            }
            TypeElement e = (TypeElement) ((DeclaredType) t).asElement();
            if (e.equals(handlerInterface) || !seen.add(e)) {
                continue;
            }
            hierarchy.add(e);
            queue.addAll(types.directSupertypes(t));
        }
        List<String> out = new ArrayList<>();
        for (String phase : PluginRules.PHASES) {
            ExecutableElement declared = ElementFilter.methodsIn(handlerInterface.getEnclosedElements()).stream()
                    .filter(m -> m.getSimpleName().contentEquals(phase) && m.getParameters().size() == 2)
                    .findFirst().orElse(null);
            if (declared == null) {
                continue;
            }
            boolean overridden = hierarchy.stream()
                    .flatMap(e -> ElementFilter.methodsIn(e.getEnclosedElements()).stream())
                    .anyMatch(m -> m.getSimpleName().contentEquals(phase) && elements.overrides(m, declared, type));
            if (overridden) {
                out.add(phase);
            }
        }
        return out;
    }
}
