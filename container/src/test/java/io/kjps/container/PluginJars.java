package io.kjps.container;

import io.kjps.model.PluginRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Test plugin jars: finds the test-scope plugin jars on the class path, writes variants of them, and deploys them
 * the safe way (written next to the deploy folder, then renamed into it).
 */
final class PluginJars {
    /** The entry of the hotswap plugin that tags its responses. */
    static final String HOTSWAP_TAG = "io/kjps/samples/hotswap/tag.txt";

    private PluginJars() {
    }

    /**
     * @param artifact part of the jar's file name, for example {@code kong-java-pluginserver-sample-hotswap}
     * @return the jar on the test class path
     */
    static Path onClassPath(String artifact) {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.contains(artifact) && entry.endsWith(".jar")) {
                return Paths.get(entry);
            }
        }
        throw new IllegalStateException(artifact + " is not on the test class path");
    }

    /** @return the bytes of the hotswap plugin jar whose responses carry {@code tag} */
    static byte[] hotswap(String tag) throws IOException {
        return rewrite(Files.readAllBytes(onClassPath("kong-java-pluginserver-sample-hotswap")), HOTSWAP_TAG,
                old -> tag.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param jar a jar
     * @param entry the entry to change
     * @param change maps the old content to the new one
     * @return the jar with that entry changed, every other entry copied
     */
    static byte[] rewrite(byte[] jar, String entry, UnaryOperator<byte[]> change) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        boolean found = false;
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(jar));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                byte[] content = in.readAllBytes();
                if (e.getName().equals(entry)) {
                    content = change.apply(content);
                    found = true;
                }
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(content);
                zip.closeEntry();
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no entry " + entry);
        }
        return out.toByteArray();
    }

    /**
     * @param n a number
     * @return the hotswap plugin as another bundle ({@code ...-hotswap<n>}) serving another plugin
     *     ({@code hotswap<n>})
     */
    static byte[] hotswapNumbered(int n) throws IOException {
        return renamed(hotswap("n" + n), "hotswap" + n, "hotswap" + n);
    }

    /**
     * @param jar a hotswap jar
     * @param pluginName the plugin name it claims instead of {@code hotswap}, in its descriptor (file and content) and
     *        in its DS component's {@code kong.plugin.name}
     * @param bundleSuffix replaces {@code hotswap} at the end of its symbolic name, or {@code null} to keep it (the
     *        same bundle)
     * @return the rewritten jar
     */
    private static byte[] renamed(byte[] jar, String pluginName, String bundleSuffix) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(jar));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                String name = e.getName();
                String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                if (name.equals("META-INF/MANIFEST.MF") && bundleSuffix != null) {
                    text = text.replace("Bundle-SymbolicName: io.kjps.kong-java-pluginserver-sample-hotswap",
                            "Bundle-SymbolicName: io.kjps.kong-java-pluginserver-sample-" + bundleSuffix);
                } else if (name.endsWith("plugins/hotswap.json")) {
                    name = name.replace("hotswap.json", pluginName + ".json");
                    text = text.replace("\"Name\":\"hotswap\"", "\"Name\":\"" + pluginName + "\"")
                            .replace("\"name\":\"hotswap\"", "\"name\":\"" + pluginName + "\"");
                } else if (name.startsWith("OSGI-INF/")) {
                    text = text.replace("value=\"hotswap\"", "value=\"" + pluginName + "\"");
                }
                zip.putNextEntry(new ZipEntry(name));
                zip.write(text.getBytes(StandardCharsets.ISO_8859_1));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /**
     * @param jar a plugin jar
     * @param header a manifest header line, e.g. {@code Require-Bundle: x}
     * @return the jar with that header added to its manifest
     */
    static byte[] withManifestHeader(byte[] jar, String header) throws IOException {
        return rewrite(jar, "META-INF/MANIFEST.MF", old -> {
            String text = new String(old, StandardCharsets.UTF_8);
            return text.replaceFirst("Manifest-Version: 1.0\r\n", "Manifest-Version: 1.0\r\n" + header + "\r\n")
                    .getBytes(StandardCharsets.UTF_8);
        });
    }

    /**
     * @param tag the tag of the hotswap version
     * @param pluginName the plugin name it claims instead of {@code hotswap} (its bundle stays the same)
     * @return the hotswap jar serving under another plugin name
     */
    static byte[] hotswapClaiming(String tag, String pluginName) throws IOException {
        return renamed(hotswap(tag), pluginName, null);
    }

    /**
     * @param tag the tag of the hotswap version
     * @param version the plugin version its descriptor declares
     * @return the hotswap jar declaring another plugin version
     */
    static byte[] hotswapVersion(String tag, String version) throws IOException {
        return withVersion(hotswap(tag), "hotswap", version);
    }

    /**
     * @param n the number of a {@link #hotswapNumbered(int)} jar
     * @param version the plugin version its descriptor declares instead of 1.0.0
     * @return bundle {@code ...-hotswap<n>} serving plugin {@code hotswap<n>} at that version
     */
    static byte[] hotswapNumberedVersion(int n, String version) throws IOException {
        return withVersion(hotswapNumbered(n), "hotswap" + n, version);
    }

    /** @return the numbered hotswap jar with its descriptor's priority replaced by {@code priority} (JSON text) */
    static byte[] hotswapNumberedPriority(int n, String priority) throws IOException {
        return rewrite(hotswapNumbered(n), PluginRules.descriptorPath("hotswap" + n), old ->
                new String(old, StandardCharsets.UTF_8).replaceFirst("\"Priority\":-?[0-9]+",
                        "\"Priority\":" + priority).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] withVersion(byte[] jar, String plugin, String version) throws IOException {
        return rewrite(jar, PluginRules.descriptorPath(plugin), old ->
                new String(old, StandardCharsets.UTF_8).replace("\"Version\":\"1.0.0\"",
                        "\"Version\":\"" + version + "\"").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Deploys a jar atomically: writes it beside the deploy folder, then renames it into place, so FileInstall
     * never sees it half-written.
     *
     * @param deploy the deploy folder
     * @param name the jar's file name in it
     * @param content the jar
     */
    static void deploy(Path deploy, String name, byte[] content) throws IOException {
        Path staging = Files.createDirectories(deploy.resolveSibling("staging"));
        Path tmp = Files.createTempFile(staging, name, ".part");
        try (OutputStream o = Files.newOutputStream(tmp)) {
            o.write(content);
        }
        Files.move(tmp, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** @return the content of {@code entry} in {@code jar} */
    static byte[] read(byte[] jar, String entry) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(jar))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (e.getName().equals(entry)) {
                    return in.readAllBytes();
                }
            }
        }
        throw new IllegalArgumentException("no entry " + entry);
    }

    /** Reads a stream fully. */
    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
