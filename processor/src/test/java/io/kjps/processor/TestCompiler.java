package io.kjps.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles in-memory sources with javac and the processor, against the test class path (the API bundle's classes
 * are on it), keeping every output in memory. Every plugin file a compilation writes is checked with
 * {@link KongMetaschemaCheck}.
 */
final class TestCompiler {

    static final String DIRECTORY = "META-INF/kong-java-pluginserver/plugins/";

    private TestCompiler() {
    }

    /** One source file: its top-level type's qualified name and its text. */
    record Source(String className, String text) {
        /**
         * The 1-based line of the first line containing {@code marker}.
         */
        int line(String marker) {
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains(marker)) {
                    return i + 1;
                }
            }
            throw new AssertionError("no line with " + marker + " in " + className);
        }
    }

    static Source source(String className, String text) {
        return new Source(className, text);
    }

    /** What a compilation produced. */
    record Result(boolean success, List<Diagnostic<? extends JavaFileObject>> diagnostics,
            Map<String, byte[]> outputs) {

        List<Diagnostic<? extends JavaFileObject>> errors() {
            return diagnostics.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
        }

        String plugin(String name) {
            byte[] bytes = outputs.get(DIRECTORY + name + ".json");
            assertNotNull(bytes, "no " + DIRECTORY + name + ".json; outputs " + outputs.keySet() + ", diagnostics "
                    + describe(diagnostics));
            return new String(bytes, StandardCharsets.UTF_8);
        }

        List<String> pluginFiles() {
            return outputs.keySet().stream().filter(k -> k.startsWith(DIRECTORY)).sorted().toList();
        }

        /** Asserts the compilation succeeded without any diagnostic from the processor or javac. */
        Result assertClean() {
            if (!success || !diagnostics.isEmpty()) {
                fail("expected a clean compilation, got " + describe(diagnostics));
            }
            return this;
        }

        /**
         * Asserts that compilation failed with exactly one error, that the error contains every fragment, and that
         * it points at the given source at the line containing {@code marker}; and that no plugin file was written
         * for the failing plugin.
         */
        Diagnostic<? extends JavaFileObject> assertSingleError(Source where, String marker, String... fragments) {
            if (success) {
                fail("expected the compilation to fail, diagnostics " + describe(diagnostics));
            }
            List<Diagnostic<? extends JavaFileObject>> errors = errors();
            assertEquals(1, errors.size(), () -> "expected one error, got " + describe(errors));
            Diagnostic<? extends JavaFileObject> d = errors.get(0);
            assertError(d, where, marker, fragments);
            return d;
        }
    }

    static void assertError(Diagnostic<? extends JavaFileObject> d, Source where, String marker,
            String... fragments) {
        assertEquals(Diagnostic.Kind.ERROR, d.getKind());
        String message = d.getMessage(Locale.ROOT);
        for (String f : fragments) {
            if (!message.contains(f)) {
                fail("error message lacks \"" + f + "\": " + message);
            }
        }
        assertNotNull(d.getSource(), () -> "error without a source file: " + message);
        assertEquals("/" + where.className().replace('.', '/') + ".java", d.getSource().toUri().getPath(),
                () -> "wrong file for: " + message);
        assertEquals(where.line(marker), d.getLineNumber(), () -> "wrong line for: " + message);
    }

    static String describe(List<Diagnostic<? extends JavaFileObject>> diagnostics) {
        return diagnostics.stream()
                .map(d -> d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName() + ":"
                        + d.getLineNumber() + ": ") + d.getMessage(Locale.ROOT))
                .collect(Collectors.joining("\n", "[\n", "\n]"));
    }

    /** Compiles with the processor given to javac directly. */
    static Result compile(Source... sources) {
        return compile(true, List.of(), sources);
    }

    /**
     * Compiles; with {@code explicit} false, javac finds the processor itself through META-INF/services on the
     * processor path (the test class path).
     */
    static Result compile(boolean explicit, Source... sources) {
        return compile(explicit, List.of(), sources);
    }

    /** Compiles with the processor and other processors that run before it. */
    static Result compile(List<Processor> others, Source... sources) {
        return compile(true, others, sources);
    }

    private static Result compile(boolean explicit, List<Processor> others, Source... sources) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String classPath = System.getProperty("java.class.path");
        List<String> options = new ArrayList<>(List.of("-classpath", classPath, "-Xlint:-options"));
        if (!explicit) {
            options.addAll(List.of("-processorpath", classPath));
        }
        List<JavaFileObject> units = new ArrayList<>();
        for (Source s : sources) {
            units.add(new SimpleJavaFileObject(URI.create("string:///" + s.className().replace('.', '/') + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return s.text();
                }
            });
        }
        Map<String, ByteArrayOutputStream> outputs = new TreeMap<>();
        try (StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            JavaFileManager memory = new ForwardingJavaFileManager<>(standard) {
                @Override
                public JavaFileObject getJavaFileForOutput(Location location, String className,
                        JavaFileObject.Kind kind, FileObject sibling) {
                    return output(className.replace('.', '/') + kind.extension, kind);
                }

                @Override
                public FileObject getFileForOutput(Location location, String packageName, String relativeName,
                        FileObject sibling) {
                    String path = packageName.isEmpty() ? relativeName
                            : packageName.replace('.', '/') + "/" + relativeName;
                    return output(path, JavaFileObject.Kind.OTHER);
                }

                private JavaFileObject output(String path, JavaFileObject.Kind kind) {
                    return new SimpleJavaFileObject(URI.create("mem:///" + path), kind) {
                        @Override
                        public OutputStream openOutputStream() {
                            ByteArrayOutputStream out = new ByteArrayOutputStream();
                            outputs.put(path, out);
                            return out;
                        }

                        @Override
                        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                            // javac reads back sources generated by processors
                            return outputs.get(path).toString(StandardCharsets.UTF_8);
                        }
                    };
                }
            };
            JavaCompiler.CompilationTask task = javac.getTask(null, memory, diagnostics, options, null, units);
            if (explicit) {
                List<Processor> processors = new ArrayList<>(others);
                processors.add(new KongPluginProcessor());
                task.setProcessors(processors);
            }
            boolean success = task.call();
            Map<String, byte[]> bytes = new TreeMap<>();
            outputs.forEach((k, v) -> bytes.put(k, v.toByteArray()));
            Result result = new Result(success, diagnostics.getDiagnostics(), bytes);
            for (String file : result.pluginFiles()) {
                KongMetaschemaCheck.assertValidPluginFile(new String(bytes.get(file), StandardCharsets.UTF_8));
            }
            return result;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
