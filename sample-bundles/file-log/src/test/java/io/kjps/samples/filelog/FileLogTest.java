package io.kjps.samples.filelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.kjps.processor.KongMetaschemaCheck;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.testkit.PluginTester;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-log sample in the test kit, its schema against Kong's metaschema, and its required path. */
class FileLogTest {

    @Test
    void appendsOneJsonLinePerRequest(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kong.log");
        String config = "{\"path\":\"" + file.toString().replace("\\", "\\\\") + "\"}";
        for (String path : List.of("/a", "/b")) {
            PluginTester.Result r = PluginTester.of(new FileLog()).configJson(config)
                    .request(q -> q.path(path)).run();
            assertEquals(List.of("log"), List.copyOf(r.outcomes().keySet()));
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(2, lines.size(), lines.toString());
        for (String line : lines) {
            assertTrue(JsonParser.parseString(line).isJsonObject(), line);
        }
    }

    @Test
    void schemaAndRequiredPath() throws Exception {
        String json;
        try (var in = FileLog.class.getResourceAsStream("/META-INF/kong-java-pluginserver/plugins/file-log.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        KongMetaschemaCheck.assertValidPluginFile(json);
        // Kong rejects a config without path before any plugin sees it: the schema says required
        assertTrue(json.contains("{\"path\":{\"type\":\"string\",\"required\":true}}"), json);
        ConfigDecoder d = ConfigDecoder.forType(FileLog.Config.class);
        assertEquals(new FileLog.Config("/tmp/x"), d.decode("{\"path\":\"/tmp/x\",\"kong_extra\":1}"));
    }
}
