package io.kjps.samples.jsontransform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.processor.KongMetaschemaCheck;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.testkit.PluginTester;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The json-transform sample in the test kit, its schema against Kong's metaschema, and its defaults. */
class JsonTransformTest {

    @Test
    void rewritesTheUpstreamJson() {
        PluginTester.Result r = PluginTester.of(new JsonTransform())
                .configJson("{\"remove_fields\":[\"secret\"],\"add_field\":\"via\",\"add_value\":\"kong\"}")
                .request(q -> q.upstreamStatus(201).upstreamBody("{\"id\":1,\"secret\":\"s\"}")).run();
        assertTrue(r.exited(), "the new body goes out with kong.response.exit");
        assertEquals(201, r.response().status(), "the upstream's status");
        assertEquals("{\"id\":1,\"via\":\"kong\"}", r.response().bodyText());
        assertEquals("application/json", r.response().header("content-type"));
    }

    @Test
    void aBodyThatIsNotAJsonObjectPasses() {
        PluginTester.Result r = PluginTester.of(new JsonTransform())
                .request(q -> q.upstreamBody("plain text")).run();
        assertFalse(r.exited());
        assertEquals("plain text", r.response().bodyText());
    }

    @Test
    void schemaAndDefaults() throws Exception {
        try (var in = JsonTransform.class.getResourceAsStream(
                "/META-INF/kong-java-pluginserver/plugins/json-transform.json")) {
            KongMetaschemaCheck.assertValidPluginFile(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(new JsonTransform.Config(List.of(), "", ""),
                ConfigDecoder.forType(JsonTransform.Config.class).decode("{}"));
    }
}
