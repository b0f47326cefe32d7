package io.kjps.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kjps.model.PluginDescriptor;
import io.kjps.model.PluginRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Makes N distinct plugin bundles out of the bench bundle, for the start-up, {@code -dump} and memory figures "with 10
 * bundles": variant {@code i} has the symbolic name {@code <bsn>.v<i>} and every plugin renamed {@code <name>-v<i>}
 * (descriptor file and its names, and the {@code kong.plugin.name} property of its DS component), so each is a separate bundle with its own class loader, its own classes and its
 * own plugins, as ten independently built bundles would be. The classes themselves are unchanged (a descriptor is
 * found by handler class within its own bundle).
 */
final class Variants {
    private static final String DESCRIPTORS = PluginRules.RESOURCE_DIRECTORY;

    private Variants() {
    }

    /**
     * @param bundle the bench bundle
     * @param dir where to write them (created)
     * @param n how many
     * @return the plugin names of all variants
     */
    static List<String> write(Path bundle, Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        List<String> names = new ArrayList<>();
        try (JarFile jar = new JarFile(bundle.toFile())) {
            for (int i = 1; i <= n; i++) {
                String suffix = "-v" + i;
                Manifest mf = new Manifest(jar.getManifest());
                Attributes a = mf.getMainAttributes();
                a.putValue("Bundle-SymbolicName", a.getValue("Bundle-SymbolicName") + ".v" + i);
                Path out = dir.resolve("bench-plugins" + suffix + ".jar");
                try (OutputStream os = Files.newOutputStream(out); JarOutputStream jos = new JarOutputStream(os, mf)) {
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        JarEntry e = entries.nextElement();
                        String name = e.getName();
                        if (name.equals(JarFile.MANIFEST_NAME) || name.equals("META-INF/")) {
                            continue;
                        }
                        byte[] data;
                        try (InputStream in = jar.getInputStream(e)) {
                            data = in.readAllBytes();
                        }
                        if (name.startsWith(DESCRIPTORS) && name.endsWith(PluginRules.DESCRIPTOR_SUFFIX)) {
                            String plugin = name.substring(DESCRIPTORS.length(), name.length() - PluginRules.DESCRIPTOR_SUFFIX.length());
                            data = renamed(PluginDescriptor.parse(new String(data, StandardCharsets.UTF_8)),
                                    plugin + suffix).getBytes(StandardCharsets.UTF_8);
                            name = PluginRules.descriptorPath(plugin + suffix);
                            names.add(plugin + suffix);
                        } else if (name.startsWith("OSGI-INF/") && name.endsWith(".xml")) {
                            // the component's kong.plugin.name service property names the descriptor
                            String text = new String(data, StandardCharsets.UTF_8);
                            int at = text.indexOf("name=\"kong.plugin.name\"");
                            if (at >= 0) {
                                int v = text.indexOf("value=\"", at) + 7;
                                int end = text.indexOf('"', v);
                                text = text.substring(0, end) + suffix + text.substring(end);
                                data = text.getBytes(StandardCharsets.UTF_8);
                            }
                        }
                        jos.putNextEntry(new JarEntry(name));
                        jos.write(data);
                        jos.closeEntry();
                    }
                }
            }
        }
        return names;
    }

    /** The descriptor under another name, in its Kong object and its schema's {@code name}. */
    private static String renamed(PluginDescriptor d, String name) {
        JsonObject schema = JsonParser.parseString(d.schemaJson()).getAsJsonObject();
        schema.addProperty("name", name);
        return PluginDescriptor.of(name, d.version(), d.priority(), d.phases(), schema.toString(), d.handlerClass(),
                d.configType(), d.config()).toJson();
    }
}
