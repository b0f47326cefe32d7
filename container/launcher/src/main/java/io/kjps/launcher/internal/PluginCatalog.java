package io.kjps.launcher.internal;

import io.kjps.model.PluginDescriptor;
import io.kjps.model.PluginRules;
import java.io.IOException;
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
 * <p>Each descriptor is read by the plugin model's one reader ({@link PluginDescriptor#parse(String)}), the one
 * the socket bundle and the test kit use, with the rules the processor applies ({@link PluginRules}), so the dump
 * never lists a plugin the server would refuse to serve; in addition its {@code Kong.Name} must equal the entry's
 * file name.
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
        Map<String, Path> jarOf = new LinkedHashMap<>();
        for (Path jar : jars) {
            for (PluginDescriptor descriptor : readJar(jar, warn)) {
                Path first = jarOf.putIfAbsent(descriptor.name(), jar);
                if (first != null) {
                    warn.accept(jar + ": plugin " + descriptor.name() + " is also in " + first
                            + "; keeping the one from " + first.getFileName() + " (first file name in order)");
                } else {
                    byName.put(descriptor.name(), descriptor);
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
                if (entry.isDirectory() || !entryName.startsWith(DESCRIPTOR_FOLDER)
                        || !entryName.endsWith(PluginRules.DESCRIPTOR_SUFFIX)) {
                    continue;
                }
                String fileName = entryName.substring(DESCRIPTOR_FOLDER.length());
                if (fileName.contains("/")) {
                    continue;
                }
                String expectedName = fileName.substring(0,
                        fileName.length() - PluginRules.DESCRIPTOR_SUFFIX.length());
                try {
                    PluginDescriptor descriptor = PluginDescriptor.parse(
                            new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8));
                    if (!descriptor.name().equals(expectedName)) {
                        throw new IllegalArgumentException("\"Kong.Name\" " + descriptor.name()
                                + " does not match the file name");
                    }
                    found.add(descriptor);
                } catch (IOException | IllegalArgumentException e) {
                    warn.accept(jar + ": " + entryName + ": " + firstLine(e.getMessage()) + "; skipped");
                }
            }
        } catch (IOException | RuntimeException e) {
            warn.accept(jar + ": not a readable jar (" + firstLine(e.toString()) + "); skipped");
            return List.of();
        }
        return found;
    }

    /** Gson adds a troubleshooting link on a second line; warnings stay one line each. */
    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
