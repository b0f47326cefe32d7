package io.kjps.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No two public types of the project share a simple name unless they are the same concept (issue 11): a plugin
 * author who reads {@code Response} or {@code Service} in a test, a sample or a stack trace must know which one is
 * meant without looking at the import.
 *
 * <p>It reads the sources of every module's {@code src/main} (Java and Kotlin) from the checkout this module sits
 * in, so one test in the first module the build reaches guards the whole tree; it lives here because the API is
 * where a clash costs plugin authors most. Public means declared {@code public} (Java) or not {@code private} /
 * {@code internal} (Kotlin), top-level or nested; internal packages count too, since their names show in stack
 * traces and in the IDE's completion. Comments and string literals are ignored.
 */
class TypeNamesTest {

    /**
     * Qualified names (package, file's type, nested type) that may share their simple name with one other type, with
     * the reason. A new type with one of these simple names still fails: only the names listed here are allowed.
     */
    private static final Map<String, String> ALLOWED = Map.ofEntries(
            // the same concept in two shapes: kong.node.get_memory_stats() raw and formatted
            Map.entry("io.kjps.pdk.entity.MemoryStats.SharedDict", "the same concept: raw numbers"),
            Map.entry("io.kjps.pdk.entity.FormattedMemoryStats.SharedDict", "the same concept: formatted text"),
            Map.entry("io.kjps.pdk.entity.MemoryStats.WorkerVm", "the same concept: raw numbers"),
            Map.entry("io.kjps.pdk.entity.FormattedMemoryStats.WorkerVm", "the same concept: formatted text"));

    /**
     * Allowed wherever it is nested: every plugin's own config record, named {@code Config} by the convention the
     * archetype, the guide and every sample teach ({@code KongPhaseHandler<Hello.Config>}). One concept: a plugin's
     * config.
     */
    private static final Set<String> ALLOWED_NESTED = Set.of("Config");

    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)");

    /** Groups: the indentation (none for a top-level type), the modifiers, the name. */
    private static final Pattern JAVA_TYPE = Pattern.compile("(?m)^([ \\t]*)((?:@\\w+(?:\\([^)]*\\))?\\s+)*public\\s+"
            + "(?:(?:static|final|abstract|sealed|non-sealed|strictfp)\\s+)*)(?:class|interface|enum|record|@interface)"
            + "\\s+(\\w+)");

    /** The same groups as {@link #JAVA_TYPE}; Kotlin's default is public. */
    private static final Pattern KOTLIN_TYPE = Pattern.compile("(?m)^([ \\t]*)((?:(?:public|private|internal|data|"
            + "enum|sealed|abstract|open|annotation|value|inner|fun)\\s+)*)(?:class|interface|object)\\s+(\\w+)");

    /** One public type: the simple name, the qualified name used in {@link #ALLOWED}, whether it is nested. */
    record Declared(String simpleName, String qualifiedName, boolean nested, Path file) {
    }

    @Test
    void noTwoPublicTypesShareASimpleNameUnlessAllowed() throws IOException {
        Path root = projectRoot();
        Map<String, List<Declared>> byName = new TreeMap<>();
        for (Declared d : publicTypes(root)) {
            byName.computeIfAbsent(d.simpleName(), n -> new ArrayList<>()).add(d);
        }
        assertTrue(byName.containsKey("KongPhaseHandler") && byName.size() > 100,
                "the scan must see the whole tree, saw " + byName.size() + " names under " + root);
        List<String> clashes = new ArrayList<>();
        byName.forEach((name, types) -> {
            if (types.size() < 2) {
                return;
            }
            List<Declared> unexplained = types.stream()
                    .filter(d -> !ALLOWED.containsKey(d.qualifiedName()))
                    .filter(d -> !(d.nested() && ALLOWED_NESTED.contains(name)))
                    .toList();
            if (unexplained.size() > 1) { // one type may keep the plain name; the others must be allowed
                clashes.add(name + ": " + types.stream()
                        .map(d -> d.qualifiedName() + " (" + root.relativize(d.file()) + ")")
                        .collect(Collectors.joining(", ")));
            }
        });
        assertEquals(List.of(), clashes, "public types sharing a simple name: rename one (a name a plugin author"
                + " understands), or, if they are one concept, add them to ALLOWED with the reason");
    }

    @Test
    void theScannerSeesNestedAndKotlinTypesButNotCommentsOrStrings() {
        String java = """
                package a.b;
                /** public class InJavadoc {} */
                public final class Outer {
                    // public class InComment {}
                    String s = "public class InString {";
                    public static final class Nested {}
                    private static final class Hidden {}
                    public sealed interface Shape permits X {}
                }
                """;
        assertEquals(List.of("a.b.Outer", "a.b.Outer.Nested", "a.b.Outer.Shape"),
                javaTypes(java, "Outer", Path.of("Outer.java")).stream().map(Declared::qualifiedName).toList());
        String kotlin = """
                package k
                class Handler {
                    data class Config(val a: String)
                    private class Hidden
                }
                internal class NotPublic
                """;
        assertEquals(List.of("k.Handler", "k.Handler.Config"),
                kotlinTypes(kotlin, "Handler", Path.of("Handler.kt")).stream().map(Declared::qualifiedName).toList());
    }

    /** The checkout's root: the parent of this module, holding the reactor pom. */
    private static Path projectRoot() {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isRegularFile(root.resolve("pom.xml")) && Files.isDirectory(root.resolve("api-bundle")),
                "run from the api-bundle module of a checkout: " + root);
        return root;
    }

    private static List<Declared> publicTypes(Path root) throws IOException {
        List<Declared> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(TypeNamesTest::isMainSource).sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                String fileName = f.getFileName().toString();
                String base = fileName.substring(0, fileName.lastIndexOf('.'));
                out.addAll(fileName.endsWith(".kt") ? kotlinTypes(text, base, f) : javaTypes(text, base, f));
            }
        }
        return out;
    }

    /** A module's own main source: {@code <module>/src/main/java|kotlin/...}, not an archetype's template. */
    private static boolean isMainSource(Path f) {
        String p = f.toString().replace('\\', '/');
        if (!(p.endsWith(".java") || p.endsWith(".kt")) || p.contains("/target/") || p.contains("/.git/")) {
            return false;
        }
        int at = Math.max(p.indexOf("/src/main/java/"), p.indexOf("/src/main/kotlin/"));
        return at > 0 && !p.substring(0, at).contains("/src/") && Files.isRegularFile(Path.of(p.substring(0, at),
                "pom.xml"));
    }

    static List<Declared> javaTypes(String source, String fileType, Path file) {
        return types(JAVA_TYPE, source, fileType, file);
    }

    static List<Declared> kotlinTypes(String source, String fileType, Path file) {
        return types(KOTLIN_TYPE, source, fileType, file);
    }

    private static List<Declared> types(Pattern declaration, String source, String fileType, Path file) {
        String code = withoutCommentsAndStrings(source);
        String pkg = packageOf(code);
        List<Declared> out = new ArrayList<>();
        Matcher m = declaration.matcher(code);
        while (m.find()) {
            Set<String> modifiers = new TreeSet<>(List.of(m.group(2).trim().split("\\s+")));
            if (!modifiers.contains("private") && !modifiers.contains("internal")) {
                out.add(declared(pkg, fileType, m.group(3), !m.group(1).isEmpty(), file));
            }
        }
        return out;
    }

    private static Declared declared(String pkg, String fileType, String name, boolean nested, Path file) {
        String top = pkg.isEmpty() ? fileType : pkg + "." + fileType;
        return new Declared(name, nested ? top + "." + name : (pkg.isEmpty() ? name : pkg + "." + name), nested,
                file);
    }

    private static String packageOf(String code) {
        Matcher m = PACKAGE.matcher(code);
        return m.find() ? m.group(1) : "";
    }

    /** Blanks comments, string and char literals and text blocks, keeping line breaks (so {@code ^} still works). */
    static String withoutCommentsAndStrings(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = skip(s, i, end < 0 ? s.length() : end + 2, out);
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                i = skip(s, i, end < 0 ? s.length() : end + 3, out);
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c && s.charAt(j) != '\n') {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                i = skip(s, i, Math.min(j + 1, s.length()), out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int skip(String s, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) {
            out.append(s.charAt(k) == '\n' ? '\n' : ' ');
        }
        return to;
    }
}
