package io.kjps.samples.headertransformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kjps.processor.KongMetaschemaCheck;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.testkit.PluginTester;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The header-transformer sample in the test kit, its schema against Kong's metaschema, and its defaults. */
class HeaderTransformerTest {

    @Test
    void transformsBothWays() {
        PluginTester.Result r = PluginTester.of(new HeaderTransformer())
                .configJson("{\"tag\":\"t1\",\"request\":{\"remove\":[\"x-secret\"],\"add\":[\"x-a:1\"]},"
                        + "\"response\":{\"remove\":[\"server\"],\"add\":[\"x-b:2\"]}}")
                .request(q -> q.header("x-secret", "s").upstreamHeader("server", "up").upstreamHeader("x-b", "0"))
                .run();
        assertEquals("t1", r.serviceRequest().header("x-transformed-by"));
        assertNull(r.serviceRequest().header("x-secret"));
        assertEquals("1", r.serviceRequest().header("x-a"));
        assertNull(r.response().header("server"));
        assertEquals(List.of("2"), r.response().headers().get("x-b"), "mode set replaces");
    }

    @Test
    void addModeKeepsExistingValues() {
        PluginTester.Result r = PluginTester.of(new HeaderTransformer())
                .configJson("{\"tag\":\"t\",\"mode\":\"add\",\"response\":{\"add\":[\"x-b:2\"]}}")
                .request(q -> q.upstreamHeader("x-b", "0")).run();
        assertEquals(List.of("0", "2"), r.response().headers().get("x-b"));
    }

    @Test
    void schemaAndDefaults() throws Exception {
        try (var in = HeaderTransformer.class.getResourceAsStream(
                "/META-INF/kong-java-pluginserver/plugins/header-transformer.json")) {
            KongMetaschemaCheck.assertValidPluginFile(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        ConfigDecoder d = ConfigDecoder.forType(HeaderTransformer.Config.class);
        assertEquals(new HeaderTransformer.Config("t", "set", null, null), d.decode("{\"tag\":\"t\"}"));
        assertEquals(new HeaderTransformer.Config("t", "set", new HeaderTransformer.Changes(List.of(), List.of()),
                null), d.decode("{\"tag\":\"t\",\"request\":{}}"));
    }
}
