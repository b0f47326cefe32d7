package io.kjps.processor;

import io.kjps.model.PluginRules;
import io.kjps.processor.internal.PluginAnalyzer;
import io.kjps.processor.internal.Problems;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The annotation processor plugin authors put on {@code annotationProcessorPaths}: for every class annotated with
 * {@code @io.kjps.plugin.KongPlugin} it checks the plugin at build time and writes the metadata Kong asks the
 * server for, so that the server's {@code -dump} never runs plugin code.
 *
 * <p>For each plugin it writes the class-path resource {@code META-INF/kong-java-pluginserver/plugins/<name>.json},
 * the plugin model's {@code io.kjps.model.PluginDescriptor}. {@code Schema} is
 * {@code {"name":"<name>","fields":[{"config":{"type":"record","fields":[...]}}]}}.
 *
 * <p>Checks, each failing the build with an error on the offending element: the name (lower-case letters, digits,
 * {@code -}, {@code _}), the version (one to three numeric parts), the class (concrete, public, implementing
 * {@code KongPhaseHandler<C>}), at least one overridden phase method, plugin names unique within the compilation,
 * and the config type and its annotations (see {@code io.kjps.plugin.config}).
 *
 * <p>Each plugin is handled once, in the round its class appears. A plugin whose types are not resolved yet (made
 * by another processor) is checked again in the next round, and reported as an error if they never resolve. The
 * processor never claims the annotation.
 */
@SupportedAnnotationTypes(PluginAnalyzer.KONG_PLUGIN)
public final class KongPluginProcessor extends AbstractProcessor {

    /** Plugin name to the handler that has it, over all rounds. */
    private final Map<String, String> pluginNames = new HashMap<>();
    /** Handlers done (written or reported), over all rounds. */
    private final Set<String> done = new HashSet<>();
    /** Handlers waiting for types to resolve. */
    private final Set<String> deferred = new LinkedHashSet<>();

    /** Creates the processor (javac does, through {@code META-INF/services}). */
    public KongPluginProcessor() {
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        List<TypeElement> todo = new ArrayList<>();
        for (String name : deferred) {
            TypeElement te = processingEnv.getElementUtils().getTypeElement(name);
            if (te != null) {
                todo.add(te);
            }
        }
        deferred.clear();
        TypeElement annotation = processingEnv.getElementUtils().getTypeElement(PluginAnalyzer.KONG_PLUGIN);
        if (annotation != null) {
            for (Element e : round.getElementsAnnotatedWith(annotation)) {
                if (e instanceof TypeElement te) {
                    todo.add(te);
                }
            }
        }
        for (TypeElement te : todo) {
            String key = te.getQualifiedName().toString();
            if (!done.contains(key)) {
                handle(te, key, round.processingOver());
            }
        }
        return false;
    }

    private void handle(TypeElement type, String key, boolean lastRound) {
        AnnotationMirror annotation = type.getAnnotationMirrors().stream()
                .filter(am -> ((TypeElement) am.getAnnotationType().asElement()).getQualifiedName()
                        .contentEquals(PluginAnalyzer.KONG_PLUGIN))
                .findFirst().orElse(null);
        if (annotation == null) {
            return;
        }
        Problems problems = new Problems();
        PluginAnalyzer.Analysis result;
        try {
            result = new PluginAnalyzer(processingEnv, problems).analyze(type, annotation);
        } catch (Problems.Deferred unresolved) {
            if (lastRound) {
                done.add(key);
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "cannot check @KongPlugin class "
                        + key + ": type " + unresolved.getMessage() + " does not resolve", type, annotation);
            } else {
                deferred.add(key);
            }
            return;
        }
        done.add(key);
        if (result.name() != null) {
            String other = pluginNames.putIfAbsent(result.name(), key);
            if (other != null) {
                problems.error(type, annotation, "plugin name \"" + result.name() + "\" of " + key
                        + " is already used by " + other + " in this compilation; Kong plugin names must be unique");
            }
        }
        problems.reportTo(processingEnv.getMessager());
        if (!problems.any() && result.plugin() != null) {
            write(type, result.plugin());
        }
    }

    private void write(TypeElement type, PluginAnalyzer.AnalyzedPlugin plugin) {
        String path = PluginRules.descriptorPath(plugin.name());
        byte[] bytes = plugin.descriptor().toJson().getBytes(StandardCharsets.UTF_8);
        try {
            FileObject file = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", path, type);
            try (OutputStream out = file.openOutputStream()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "cannot write " + path + " for "
                    + type.getQualifiedName() + ": " + e, type);
        }
    }
}
