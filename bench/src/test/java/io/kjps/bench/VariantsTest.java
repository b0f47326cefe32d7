package io.kjps.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kjps.model.ConfigField;
import io.kjps.model.PluginDescriptor;
import io.kjps.model.PluginRules;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VariantsTest {

    /** Each variant's descriptor is the original one under the new name, read and written by the plugin model. */
    @Test
    void variantsCarryTheRenamedDescriptor(@TempDir Path dir) throws Exception {
        PluginDescriptor original = PluginDescriptor.of("bench-hello", "0.1.0", 1000, List.of("access"),
                "{\"name\":\"bench-hello\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":[{\"greeting\":"
                        + "{\"type\":\"string\",\"default\":\"bench-hello\"}}]}}]}", "b.Hello", "b.Hello$Config",
                List.of(ConfigField.of("greeting", null, "string", "bench-hello")));
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Bundle-SymbolicName", "bench");
        Path bundle = dir.resolve("bench.jar");
        try (OutputStream os = Files.newOutputStream(bundle); JarOutputStream jar = new JarOutputStream(os, mf)) {
            jar.putNextEntry(new JarEntry(PluginRules.descriptorPath("bench-hello")));
            jar.write(original.toJson().getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }

        assertEquals(List.of("bench-hello-v1", "bench-hello-v2"), Variants.write(bundle, dir.resolve("out"), 2));
        try (JarFile v2 = new JarFile(dir.resolve("out/bench-plugins-v2.jar").toFile())) {
            PluginDescriptor d = PluginDescriptor.parse(new String(v2.getInputStream(
                    v2.getEntry(PluginRules.descriptorPath("bench-hello-v2"))).readAllBytes(), StandardCharsets.UTF_8));
            assertEquals("bench-hello-v2", d.name());
            assertEquals(original.schemaJson().replaceFirst("\"bench-hello\"", "\"bench-hello-v2\""), d.schemaJson(),
                    "the schema's name only; a default that happens to equal the name stays");
            assertEquals(original.config(), d.config());
            assertEquals(original.handlerClass(), d.handlerClass());
            assertEquals("bench.v2", v2.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"));
        }
    }
}
