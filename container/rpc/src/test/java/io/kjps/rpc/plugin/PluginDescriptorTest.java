package io.kjps.rpc.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.util.EnumSet;
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
        assertEquals(List.of(Phase.ACCESS, Phase.RESPONSE, Phase.LOG), d.phases());
        assertEquals(EnumSet.of(Phase.ACCESS, Phase.RESPONSE, Phase.LOG), d.phaseSet());
        assertEquals("io.kjps.samples.pdkcheck.PdkCheck", d.handlerClass());
        assertEquals("io.kjps.samples.pdkcheck.PdkCheck$Config", d.configType());
        assertEquals(JsonParser.parseString(PDKCHECK).getAsJsonObject().get("Kong"), JsonParser.parseString(
                d.kongJson()), "kongJson is the Kong object, what -dump prints");
        assertEquals(JsonParser.parseString(PDKCHECK).getAsJsonObject().getAsJsonObject("Kong").get("Schema"),
                JsonParser.parseString(d.schemaJson()));
        assertTrue(d.kongJson().startsWith("{\"Name\":\"pdkcheck\",\"Version\":\"0.1.0\",\"Priority\":500,"),
                "key order is kept: " + d.kongJson());
        assertThrows(UnsupportedOperationException.class, () -> d.phases().add(Phase.LOG));
    }

    @Test
    void nullOrAbsentConfigTypeAndNoPhases() {
        assertNull(PluginDescriptor.parse(BLOCK).configType());
        PluginDescriptor none = PluginDescriptor.parse("{\"Kong\":{\"Name\":\"n\",\"Version\":\"1\",\"Priority\":0,"
                + "\"Phases\":[],\"Schema\":{}},\"Handler\":\"h\"}");
        assertNull(none.configType());
        assertEquals(List.of(), none.phases());
        assertEquals(EnumSet.noneOf(Phase.class), none.phaseSet());
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
        assertTrue(failure("not json {").startsWith("plugin descriptor is not a JSON object: "));
        assertTrue(failure("[1]").startsWith("plugin descriptor is not a JSON object: "));
        assertEquals("plugin descriptor has no object Kong", failure("{\"Handler\":\"h\"}"));
        assertEquals("plugin descriptor has no string Name", failure(kong(null, "\"1\"", "1", "[]", "{}")));
        assertEquals("plugin descriptor has no string Name", failure(kong("5", "\"1\"", "1", "[]", "{}")));
        assertEquals("plugin descriptor has no string Version", failure(kong("\"n\"", null, "1", "[]", "{}")));
        assertEquals("plugin descriptor of n has no integer Priority", failure(kong("\"n\"", "\"1\"", null, "[]",
                "{}")));
        assertEquals("plugin descriptor of n has no integer Priority", failure(kong("\"n\"", "\"1\"", "\"10\"",
                "[]", "{}")));
        assertEquals("plugin descriptor of n has no integer Priority", failure(kong("\"n\"", "\"1\"", "1.5", "[]",
                "{}")));
        assertEquals("plugin descriptor of n has no integer Priority", failure(kong("\"n\"", "\"1\"", "3000000000",
                "[]", "{}")));
        assertEquals("plugin descriptor of n has no Phases array", failure(kong("\"n\"", "\"1\"", "1", null, "{}")));
        assertEquals("plugin descriptor of n has no Phases array", failure(kong("\"n\"", "\"1\"", "1", "\"access\"",
                "{}")));
        assertEquals("plugin descriptor of n names an unknown phase \"body_filter\"",
                failure(kong("\"n\"", "\"1\"", "1", "[\"access\",\"body_filter\"]", "{}")));
        assertEquals("plugin descriptor of n names an unknown phase {}", failure(kong("\"n\"", "\"1\"", "1", "[{}]",
                "{}")));
        assertEquals("plugin descriptor of n names an unknown phase null", failure(kong("\"n\"", "\"1\"", "1",
                "[null]", "{}")));
        assertEquals("plugin descriptor of n names an unknown phase 1", failure(kong("\"n\"", "\"1\"", "1", "[1]",
                "{}")));
        assertEquals("plugin descriptor has no object Schema", failure(kong("\"n\"", "\"1\"", "1", "[]", null)));
        assertEquals("plugin descriptor has no string Handler", failure("{\"Kong\":{\"Name\":\"n\",\"Version\":"
                + "\"1\",\"Priority\":1,\"Phases\":[],\"Schema\":{}}}"));
        assertEquals("plugin descriptor of n has a ConfigType that is not a class name: {}",
                failure("{\"Kong\":{\"Name\":\"n\",\"Version\":\"1\",\"Priority\":1,\"Phases\":[],\"Schema\":{}},"
                        + "\"Handler\":\"h\",\"ConfigType\":{}}"));
    }

    @Test
    void phases() {
        assertEquals(List.of("certificate", "rewrite", "access", "response", "preread", "log"),
                java.util.Arrays.stream(Phase.values()).map(Phase::kongName).toList(), "Kong's order");
        for (Phase p : Phase.values()) {
            assertEquals(p, Phase.fromKong(p.kongName()));
        }
        assertNull(Phase.fromKong("ACCESS"));
        assertNull(Phase.fromKong("header_filter"));
        assertNull(Phase.fromKong(null));
    }

    /** The model's rules, with the model's words: the socket bundle and the test kit refuse what Kong would. */
    @Test
    void nameAndVersionFollowTheModel() {
        assertEquals("plugin name \"Big\" " + io.kjps.model.PluginRules.nameProblem("Big"),
                failure(kong("\"Big\"", "\"1\"", "1", "[]", "{}")));
        assertEquals("plugin n version \"1.0.0.0\" " + io.kjps.model.PluginRules.versionProblem("1.0.0.0"),
                failure(kong("\"n\"", "\"1.0.0.0\"", "1", "[]", "{}")));
        assertEquals("plugin n version \"v1\" " + io.kjps.model.PluginRules.versionProblem("v1"),
                failure(kong("\"n\"", "\"v1\"", "1", "[]", "{}")));
        assertEquals("0.1", PluginDescriptor.parse(kong("\"n\"", "\"0.1\"", "1", "[]", "{}")).version());
    }
}
