package io.kjps.launcher.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds small jars for tests. */
public final class TestJars {

    private TestJars() {
    }

    /** Writes a zip file at {@code jar} holding {@code entries} (name to UTF-8 text), in the map's order. */
    public static Path write(Path jar, Map<String, String> entries) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return jar;
    }

    /** Writes a plugin bundle jar at {@code jar} with one descriptor per given plugin JSON (file name = Kong.Name). */
    public static Path plugin(Path jar, String name, String descriptorJson) throws IOException {
        return write(jar, Map.of(
                "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n",
                PluginCatalog.DESCRIPTOR_FOLDER + name + ".json", descriptorJson));
    }

    /** The "Kong" object of a plugin descriptor. */
    public static String kong(String name, String version, int priority, String phases, String configFields) {
        return "{\"Name\":\"" + name + "\",\"Version\":\"" + version + "\",\"Priority\":" + priority
                + ",\"Phases\":" + phases + ",\"Schema\":{\"name\":\"" + name
                + "\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":" + configFields + "}}]}}";
    }

    /** A whole descriptor around a "Kong" object. */
    public static String descriptor(String kong, String handler) {
        return "{\"Kong\":" + kong + ",\"Handler\":\"" + handler + "\",\"ConfigType\":null}";
    }
}
