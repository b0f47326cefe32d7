package io.kjps.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginDescriptorTest {
    /** What the annotation processor wrote for sample-bundles/pdkcheck. */
    static final String PDKCHECK = "{\"Kong\":{\"Name\":\"pdkcheck\",\"Version\":\"0.1.0\",\"Priority\":500,"
            + "\"Phases\":[\"access\",\"response\",\"log\"],\"Schema\":{\"name\":\"pdkcheck\",\"fields\":[{\"config\":"
            + "{\"type\":\"record\",\"fields\":[{\"tag\":{\"type\":\"string\",\"default\":\"dflt\"}},{\"list\":"
            + "{\"type\":\"array\",\"elements\":{\"type\":\"string\"},\"default\":[]}},{\"nested\":{\"type\":\"record\","
            + "\"fields\":[{\"n\":{\"type\":\"integer\",\"default\":7}}]}}]}}]}},"
            + "\"Handler\":\"io.kjps.samples.pdkcheck.PdkCheck\",\"ConfigType\":\"io.kjps.samples.pdkcheck.PdkCheck$Config\"}";
    static final String BLOCK = "{\"Kong\":{\"Name\":\"block\",\"Version\":\"0.1.0\",\"Priority\":2000,"
            + "\"Phases\":[\"access\"],\"Schema\":{\"name\":\"block\",\"fields\":[{\"config\":{\"type\":\"record\","
            + "\"fields\":[]}}]}},\"Handler\":\"io.kjps.samples.block.Block\",\"ConfigType\":null}";

    @Test
    void parsesWhatTheProcessorWrites() {
        PluginDescriptor d = PluginDescriptor.parse(PDKCHECK);
        assertEquals("pdkcheck", d.name());
        assertEquals("0.1.0", d.version());
        assertEquals(500, d.priority());
        assertEquals(List.of("access", "response", "log"), d.phases());
        assertEquals("io.kjps.samples.pdkcheck.PdkCheck", d.handlerClass());
        assertEquals("io.kjps.samples.pdkcheck.PdkCheck$Config", d.configType());
        assertEquals(JsonParser.parseString(PDKCHECK).getAsJsonObject().get("Kong"), JsonParser.parseString(
                d.kongJson()), "kongJson is the Kong object, what -dump prints");
        assertEquals(JsonParser.parseString(PDKCHECK).getAsJsonObject().getAsJsonObject("Kong").get("Schema"),
                JsonParser.parseString(d.schemaJson()));
        assertTrue(d.kongJson().startsWith("{\"Name\":\"pdkcheck\",\"Version\":\"0.1.0\",\"Priority\":500,"),
                "key order is kept: " + d.kongJson());
        assertThrows(UnsupportedOperationException.class, () -> d.phases().add("log"));
    }

    @Test
    void nullOrAbsentConfigTypeAndNoPhases() {
        assertNull(PluginDescriptor.parse(BLOCK).configType());
        PluginDescriptor none = PluginDescriptor.parse("{\"Kong\":{\"Name\":\"n\",\"Version\":\"1\",\"Priority\":0,"
                + "\"Phases\":[],\"Schema\":{}},\"Handler\":\"h\"}");
        assertNull(none.configType());
        assertEquals(List.of(), none.phases());
        assertEquals(-5, PluginDescriptor.parse("{\"Kong\":{\"Name\":\"n\",\"Version\":\"1\",\"Priority\":-5,"
                + "\"Phases\":[],\"Schema\":{}},\"Handler\":\"h\"}").priority());
    }

    private static String failure(String json) {
        return assertThrows(IllegalArgumentException.class, () -> PluginDescriptor.parse(json)).getMessage();
    }

    private static String kong(String name, String version, String priority, String phases, String schema) {
        StringBuilder sb = new StringBuilder("{");
        if (name != null) {
            sb.append("\"Name\":").append(name).append(',');
        }
        if (version != null) {
            sb.append("\"Version\":").append(version).append(',');
        }
        if (priority != null) {
            sb.append("\"Priority\":").append(priority).append(',');
        }
        if (phases != null) {
            sb.append("\"Phases\":").append(phases).append(',');
        }
        if (schema != null) {
            sb.append("\"Schema\":").append(schema).append(',');
        }
        sb.setLength(sb.length() - 1);
        return "{\"Kong\":" + sb + "},\"Handler\":\"h\"}";
    }

    @Test
    void malformedDescriptorsAreIllegalArguments() {
        assertTrue(failure("not json {").startsWith("not JSON: "));
        assertTrue(failure("{\"Kong\":{}} {}").startsWith("not JSON: "), "one value only");
        assertEquals("no \"Kong\" object", failure("[1]"));
        assertEquals("no \"Kong\" object", failure("{\"Handler\":\"h\"}"));
        assertEquals("\"Kong.Name\" must be a string", failure(kong(null, "\"1\"", "1", "[]", "{}")));
        assertEquals("\"Kong.Name\" must be a string", failure(kong("5", "\"1\"", "1", "[]", "{}")));
        assertEquals("\"Kong.Version\" must be a string", failure(kong("\"n\"", null, "1", "[]", "{}")));
        assertEquals("\"Kong.Priority\" must be a number", failure(kong("\"n\"", "\"1\"", null, "[]", "{}")));
        assertEquals("\"Kong.Priority\" must be a number", failure(kong("\"n\"", "\"1\"", "\"10\"", "[]",
                "{}")));
        assertEquals("\"Kong.Phases\" must be an array of strings", failure(kong("\"n\"", "\"1\"", "1", null,
                "{}")));
        assertEquals("\"Kong.Phases\" must be an array of strings", failure(kong("\"n\"", "\"1\"", "1",
                "\"access\"", "{}")));
        assertEquals("\"Kong.Phases\" must be an array of strings", failure(kong("\"n\"", "\"1\"", "1", "[{}]",
                "{}")));
        assertEquals("\"Kong.Phases\" must be an array of strings", failure(kong("\"n\"", "\"1\"", "1",
                "[null]", "{}")));
        assertEquals("\"Kong.Schema\" must be an object", failure(kong("\"n\"", "\"1\"", "1", "[]", null)));
        assertEquals("\"Handler\" must be a string", failure("{\"Kong\":{\"Name\":\"n\",\"Version\":"
                + "\"1\",\"Priority\":1,\"Phases\":[],\"Schema\":{}}}"));
        assertEquals("\"ConfigType\" must be a class name or null",
                failure("{\"Kong\":{\"Name\":\"n\",\"Version\":\"1\",\"Priority\":1,\"Phases\":[],\"Schema\":{}},"
                        + "\"Handler\":\"h\",\"ConfigType\":{}}"));
    }

    /** The one writer: what it writes, the reader reads back the same, byte for byte. */
    @Test
    void writesWhatItReads() {
        assertEquals(PDKCHECK, PluginDescriptor.parse(PDKCHECK).toJson());
        assertEquals(BLOCK, PluginDescriptor.parse(BLOCK).toJson());
        PluginDescriptor d = PluginDescriptor.parse(PDKCHECK);
        assertEquals(d, PluginDescriptor.of(d.name(), d.version(), d.priority(), d.phases(), d.schemaJson(),
                d.handlerClass(), d.configType(), null));
        assertEquals("{\"Kong\":{\"Name\":\"n\",\"Version\":\"1\",\"Priority\":-3,\"Phases\":[],\"Schema\":"
                + "{\"gt\":0.5,\"big\":1e21}},\"Handler\":\"h\",\"ConfigType\":null}",
                PluginDescriptor.of("n", "1", -3, List.of(), "{\"gt\":0.5,\"big\":1e21}", "h", null, null).toJson(),
                "numbers as the processor formatted them");
    }

    @Test
    void theWriterRefusesWhatTheReaderRefuses() {
        assertEquals("plugin n version \"1.0.0.0\" " + PluginRules.versionProblem("1.0.0.0"),
                assertThrows(IllegalArgumentException.class, () -> PluginDescriptor.of("n", "1.0.0.0", 1, List.of(),
                        "{}", "h", null, null)).getMessage());
        assertEquals("plugin n phase \"header_filter\" " + PluginRules.phaseProblem("header_filter"),
                assertThrows(IllegalArgumentException.class, () -> PluginDescriptor.of("n", "1", 1,
                        List.of("header_filter"), "{}", "h", null, null)).getMessage());
    }

    @Test
    void priorityFollowsTheModel() {
        assertEquals("plugin n priority 1.5 " + PluginRules.priorityProblem(new java.math.BigDecimal("1.5")),
                failure(kong("\"n\"", "\"1\"", "1.5", "[]", "{}")));
        assertEquals("plugin n priority 3000000000 "
                + PluginRules.priorityProblem(new java.math.BigDecimal("3000000000")),
                failure(kong("\"n\"", "\"1\"", "3000000000", "[]", "{}")));
        assertEquals(1000, PluginDescriptor.parse(kong("\"n\"", "\"1\"", "1000.0", "[]", "{}")).priority());
        assertEquals(Integer.MIN_VALUE, PluginDescriptor.parse(kong("\"n\"", "\"1\"", "-2147483648", "[]", "{}"))
                .priority());
    }

    /** The model's rules, with the model's words: the socket bundle and the test kit refuse what Kong would. */
    @Test
    void nameVersionAndPhasesFollowTheModel() {
        assertEquals("plugin n phase \"body_filter\" " + PluginRules.phaseProblem("body_filter"),
                failure(kong("\"n\"", "\"1\"", "1", "[\"access\",\"body_filter\"]", "{}")));
        assertEquals("plugin name \"Big\" " + PluginRules.nameProblem("Big"),
                failure(kong("\"Big\"", "\"1\"", "1", "[]", "{}")));
        assertEquals("plugin n version \"1.0.0.0\" " + PluginRules.versionProblem("1.0.0.0"),
                failure(kong("\"n\"", "\"1.0.0.0\"", "1", "[]", "{}")));
        assertEquals("plugin n version \"v1\" " + PluginRules.versionProblem("v1"),
                failure(kong("\"n\"", "\"v1\"", "1", "[]", "{}")));
        assertEquals("0.1", PluginDescriptor.parse(kong("\"n\"", "\"0.1\"", "1", "[]", "{}")).version());
    }

    @Test
    void resolvedConfigFieldsRoundTrip() {
        ConfigField inner = ConfigField.of("perMinute", null, "integer", "7");
        List<ConfigField> config = List.of(
                ConfigField.of("url", "base_url", "string", "http://x"),
                new ConfigField("limits", "limits", "array", "[]", List.of(), ConfigField.shape("record",
                        List.of(inner), null, null), null),
                new ConfigField("headers", "headers", "map", null, List.of(), null,
                        ConfigField.shape("string", List.of(), null, null)));
        PluginDescriptor d = PluginDescriptor.of("n", "1", 1, List.of("access"), "{}", "h", "C", config);
        assertEquals(config, d.config());
        String json = d.toJson();
        assertTrue(json.endsWith(",\"ConfigType\":\"C\",\"Config\":[{\"Member\":\"url\",\"Name\":\"base_url\","
                + "\"Type\":\"string\",\"Default\":\"http://x\"},{\"Member\":\"limits\",\"Name\":\"limits\","
                + "\"Type\":\"array\",\"Default\":\"[]\",\"Elements\":{\"Type\":\"record\",\"Fields\":[{\"Member\":"
                + "\"perMinute\",\"Name\":\"per_minute\",\"Type\":\"integer\",\"Default\":\"7\"}]}},{\"Member\":"
                + "\"headers\",\"Name\":\"headers\",\"Type\":\"map\",\"Values\":{\"Type\":\"string\"}}]}"), json);
        assertEquals(d, PluginDescriptor.parse(json));
        assertNull(PluginDescriptor.parse(BLOCK).config(), "a descriptor from before Config");
        assertEquals("\"Config\" must be an array of config fields", failure(BLOCK.replace("\"ConfigType\":null",
                "\"ConfigType\":null,\"Config\":{}")));
        assertTrue(failure(BLOCK.replace("\"ConfigType\":null", "\"ConfigType\":null,\"Config\":[{\"Type\":1}]"))
                .startsWith("a config field needs a string Member"));
    }
}
