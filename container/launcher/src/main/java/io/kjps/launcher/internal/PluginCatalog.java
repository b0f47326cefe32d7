package io.kjps.launcher.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.kjps.model.PluginRules;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads the plugin descriptors of every bundle jar in the deploy directory, without starting OSGi and without loading
 * a single plugin class: each {@code *.jar} directly inside the directory is opened as a zip file and its
 * {@code META-INF/kong-java-pluginserver/plugins/<name>.json} entries are parsed.
 *
 * <p>A descriptor looks like
 * {@code {"Kong":{"Name":..,"Version":..,"Priority":..,"Phases":[..],"Schema":{..}},"Handler":..,"ConfigType":..}}.
 * It is used when {@code Kong.Name} follows the name rule and equals the entry's file name, {@code Version} follows
 * the version rule, {@code Priority} is a 32-bit integer, {@code Phases} an array of phase names, {@code Schema} an
 * object and {@code Handler} a string. The name, version and phase rules are {@link PluginRules}', the ones the
 * processor and the socket bundle apply, so the dump never lists a plugin the server would refuse to serve.
 *
 * <p>Problems are reported through the warning callback and never stop the scan: an unreadable or corrupt jar is
 * skipped, a bad descriptor is skipped. When two jars describe the same plugin name, the jar whose <em>file name
 * sorts first</em> (plain {@link String} order) wins and the other descriptor is skipped with a warning: the same
 * rule for every run, independent of directory listing order.
 */
public final class PluginCatalog {

    /** Folder inside a bundle jar holding one {@code <name>.json} per plugin. */
    public static final String DESCRIPTOR_FOLDER = PluginRules.RESOURCE_DIRECTORY;

    private PluginCatalog() {
    }

    /**
     * Scans {@code deployDir}.
     *
     * @param deployDir the directory FileInstall watches
     * @param warn      receives one line per problem (without a trailing newline)
     * @return the plugins sorted by name; empty when the directory holds none or does not exist (warned)
     */
    public static List<PluginDescriptor> read(Path deployDir, Consumer<String> warn) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(deployDir, "*.jar")) {
            for (Path path : stream) {
                if (Files.isRegularFile(path)) {
                    jars.add(path);
                }
            }
        } catch (NoSuchFileException e) {
            warn.accept("deploy directory " + deployDir + " does not exist");
            return List.of();
        } catch (IOException e) {
            warn.accept("cannot list deploy directory " + deployDir + ": " + e);
            return List.of();
        }
        jars.sort(Comparator.comparing(path -> path.getFileName().toString()));

        Map<String, PluginDescriptor> byName = new LinkedHashMap<>();
        for (Path jar : jars) {
            for (PluginDescriptor descriptor : readJar(jar, warn)) {
                PluginDescriptor first = byName.putIfAbsent(descriptor.name(), descriptor);
                if (first != null) {
                    warn.accept(jar + ": plugin " + descriptor.name() + " is also in " + first.jar()
                            + "; keeping the one from " + first.jar().getFileName() + " (first file name in order)");
                }
            }
        }
        List<PluginDescriptor> plugins = new ArrayList<>(byName.values());
        plugins.sort(Comparator.comparing(PluginDescriptor::name));
        return plugins;
    }

    private static List<PluginDescriptor> readJar(Path jar, Consumer<String> warn) {
        List<PluginDescriptor> found = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile(), StandardCharsets.UTF_8)) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String entryName = entry.getName();
                if (entry.isDirectory() || !entryName.startsWith(DESCRIPTOR_FOLDER) || !entryName.endsWith(".json")) {
                    continue;
                }
                String fileName = entryName.substring(DESCRIPTOR_FOLDER.length());
                if (fileName.contains("/")) {
                    continue;
                }
                String expectedName = fileName.substring(0, fileName.length() - ".json".length());
                try (Reader reader = new InputStreamReader(zip.getInputStream(entry), StandardCharsets.UTF_8)) {
                    found.add(parse(reader, expectedName, jar));
                } catch (IOException | JsonParseException | IllegalStateException e) {
                    warn.accept(jar + ": " + entryName + ": " + firstLine(e.getMessage()) + "; skipped");
                }
            }
        } catch (IOException | RuntimeException e) {
            warn.accept(jar + ": not a readable jar (" + firstLine(e.toString()) + "); skipped");
            return List.of();
        }
        return found;
    }

    private static PluginDescriptor parse(Reader in, String expectedName, Path jar) throws IOException {
        JsonReader reader = new JsonReader(in);
        reader.setStrictness(Strictness.STRICT);
        JsonElement root = JsonParser.parseReader(reader);
        if (reader.peek() != JsonToken.END_DOCUMENT) {
            throw new IOException("extra data after the descriptor");
        }
        if (!root.isJsonObject() || !root.getAsJsonObject().has("Kong")
                || !root.getAsJsonObject().get("Kong").isJsonObject()) {
            throw new IOException("no \"Kong\" object");
        }
        JsonObject kong = root.getAsJsonObject().getAsJsonObject("Kong");
        String name = string(kong, "Name");
        String nameProblem = PluginRules.nameProblem(name);
        if (nameProblem != null) {
            throw new IOException("plugin name \"" + name + "\" " + nameProblem);
        }
        if (!name.equals(expectedName)) {
            throw new IOException("\"Kong.Name\" " + name + " does not match the file name");
        }
        String version = string(kong, "Version");
        String versionProblem = PluginRules.versionProblem(version);
        if (versionProblem != null) {
            throw new IOException("plugin " + name + " version \"" + version + "\" " + versionProblem);
        }
        JsonElement priority = kong.get("Priority");
        if (!(priority instanceof JsonPrimitive number) || !number.isNumber() || !isInt(number)) {
            throw new IOException("\"Kong.Priority\" must be a 32-bit integer");
        }
        JsonElement phases = kong.get("Phases");
        if (phases == null || !phases.isJsonArray()) {
            throw new IOException("\"Kong.Phases\" must be an array of strings");
        }
        for (JsonElement phase : phases.getAsJsonArray()) {
            if (!(phase instanceof JsonPrimitive text) || !text.isString()) {
                throw new IOException("\"Kong.Phases\" must be an array of strings");
            }
            String phaseProblem = PluginRules.phaseProblem(text.getAsString());
            if (phaseProblem != null) {
                throw new IOException("plugin " + name + " phase \"" + text.getAsString() + "\" " + phaseProblem);
            }
        }
        JsonElement schema = kong.get("Schema");
        if (schema == null || !schema.isJsonObject()) {
            throw new IOException("\"Kong.Schema\" must be an object");
        }
        JsonElement handler = root.getAsJsonObject().get("Handler");
        if (!(handler instanceof JsonPrimitive text) || !text.isString()) {
            throw new IOException("\"Handler\" must be a string");
        }
        return new PluginDescriptor(name, kong, jar);
    }

    private static String string(JsonObject kong, String key) throws IOException {
        JsonElement value = kong.get(key);
        if (!(value instanceof JsonPrimitive p) || !p.isString()) {
            throw new IOException("\"Kong." + key + "\" must be a string");
        }
        return p.getAsString();
    }

    /** Gson adds a troubleshooting link on a second line; warnings stay one line each. */
    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static boolean isInt(JsonPrimitive number) {
        try {
            number.getAsBigDecimal().intValueExact();
            return true;
        } catch (ArithmeticException | NumberFormatException e) {
            return false;
        }
    }
}
