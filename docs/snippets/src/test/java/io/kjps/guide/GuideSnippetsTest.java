package io.kjps.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/plugin-guide.md cannot drift from code that compiles: every {@code java}, {@code kotlin} and {@code xml} block
 * in it is preceded by {@code <!-- snippet: PATH#NAME -->} and is, verbatim (less the common indentation), the region
 * between the markers {@code snippet:NAME} and {@code end:NAME} of that file of this repository, a file the build
 * compiles or runs; every {@code json} block is preceded by {@code <!-- schema: PLUGIN -->} and is the config schema
 * the processor wrote for that plugin. Blocks of other languages ({@code sh}, {@code text}) are commands and output.
 * Every region of this module's sources appears in the guide.
 */
class GuideSnippetsTest {
    /** The repository root, from this module's directory (surefire's working directory). */
    private static final Path ROOT = Paths.get("../..").toAbsolutePath().normalize();
    private static final Path GUIDE = ROOT.resolve("docs/plugin-guide.md");
    private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->");
    private static final Pattern SCHEMA = Pattern.compile("<!-- schema: (\\S+) -->");
    private static final Set<String> CODE = Set.of("java", "kotlin", "xml");
    private static final Set<String> NOT_CODE = Set.of("sh", "text");

    private record Block(int line, String marker, String language, String text) {
    }

    @Test
    void everyCodeBlockIsACompiledRegion() throws IOException {
        Set<String> used = new TreeSet<>();
        List<Block> blocks = blocks();
        assertTrue(blocks.size() > 20, "the guide's code blocks: " + blocks.size());
        for (Block b : blocks) {
            String where = "docs/plugin-guide.md line " + b.line();
            if (CODE.contains(b.language())) {
                Matcher m = SNIPPET.matcher(b.marker());
                assertTrue(m.matches(), where + ": a " + b.language() + " block needs <!-- snippet: PATH#NAME --> on "
                        + "the line before it, found: " + b.marker());
                Path file = ROOT.resolve(m.group(1));
                assertEquals(region(file, m.group(2)), b.text(), where + " differs from " + m.group(1) + "#"
                        + m.group(2));
                used.add(m.group(1) + "#" + m.group(2));
            } else if (b.language().equals("json")) {
                Matcher m = SCHEMA.matcher(b.marker());
                assertTrue(m.matches(), where + ": a json block needs <!-- schema: PLUGIN --> before it");
                assertEquals(configSchema(m.group(1)), JsonParser.parseString(b.text()), where);
            } else {
                assertTrue(NOT_CODE.contains(b.language()), where + ": a block of unknown language '" + b.language()
                        + "' (code must be java, kotlin, xml or json and marked; commands sh; output text)");
            }
        }
        Set<String> defined = new TreeSet<>();
        Path module = ROOT.resolve("docs/snippets/src");
        try (Stream<Path> files = Files.walk(module)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = Pattern.compile("^\\s*// snippet:(\\S+)\\s*$", Pattern.MULTILINE)
                        .matcher(Files.readString(f));
                while (m.find()) {
                    defined.add(ROOT.relativize(f) + "#" + m.group(1));
                }
            }
        }
        defined.removeAll(used);
        assertEquals(Set.of(), defined, "regions of docs/snippets that the guide does not show");
    }

    @Test
    void theReadmeLinksTheGuide() throws IOException {
        assertTrue(Files.readString(ROOT.resolve("README.md")).contains("(docs/plugin-guide.md)"));
    }

    private static List<Block> blocks() throws IOException {
        List<String> lines = Files.readAllLines(GUIDE, StandardCharsets.UTF_8);
        List<Block> out = new ArrayList<>();
        String previous = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                String language = line.substring(3).trim();
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                for (; j < lines.size() && !lines.get(j).startsWith("```"); j++) {
                    text.append(lines.get(j)).append('\n');
                }
                if (j == lines.size()) {
                    fail("docs/plugin-guide.md line " + (i + 1) + ": a code block that never closes");
                }
                out.add(new Block(i + 1, previous, language, text.toString()));
                i = j;
                previous = "";
            } else if (!line.isBlank()) {
                previous = line.trim();
            }
        }
        return out;
    }

    /** The lines between the start and end markers of {@code name} in {@code file}, less their common indentation. */
    static String region(Path file, String name) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Pattern start = Pattern.compile("(//|##|<!--)\\s*snippet:" + Pattern.quote(name) + "(\\s*-->)?");
        Pattern end = Pattern.compile("(//|##|<!--)\\s*end:" + Pattern.quote(name) + "(\\s*-->)?");
        int from = -1;
        int to = -1;
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).trim();
            if (from < 0 && start.matcher(t).matches()) {
                from = i + 1;
            } else if (from >= 0 && end.matcher(t).matches()) {
                to = i;
                break;
            }
        }
        assertTrue(from >= 0 && to >= from, "no region " + name + " in " + file);
        List<String> region = lines.subList(from, to);
        int indent = region.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder text = new StringBuilder();
        for (String l : region) {
            text.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return text.toString();
    }

    private static JsonElement configSchema(String plugin) throws IOException {
        try (InputStream in = GuideSnippetsTest.class.getResourceAsStream(
                "/META-INF/kong-java-pluginserver/plugins/" + plugin + ".json")) {
            assertNotNull(in, "no descriptor for " + plugin);
            JsonObject doc = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            return doc.getAsJsonObject("Kong").getAsJsonObject("Schema").getAsJsonArray("fields").get(0)
                    .getAsJsonObject().get("config");
        }
    }
}
