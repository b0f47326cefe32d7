package io.kjps.samples.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.processor.KongMetaschemaCheck;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.testkit.PluginTester;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The api-key sample in the test kit, its schema against Kong's metaschema, and its defaults. */
class ApiKeyTest {
    private static final String CONFIG = "{\"keys\":[\"k1\",\"k2\"]}";

    @Test
    void aKnownKeyPassesAndIsHidden() {
        PluginTester.Result r = PluginTester.of(new ApiKey()).configJson(CONFIG)
                .request(q -> q.path("/x").header("x-api-key", "k2")).run();
        assertFalse(r.exited());
        assertEquals(200, r.response().status());
        assertEquals(1L, r.shared().get("api_key_index"));
        assertNull(r.serviceRequest().header("x-api-key"), "hide_credentials defaults to true");
    }

    @Test
    void aMissingOrWrongKeyEndsWith401() {
        PluginTester.Result missing = PluginTester.of(new ApiKey()).configJson(CONFIG).run();
        assertTrue(missing.exited());
        assertEquals(401, missing.response().status());
        assertEquals("{\"message\":\"No API key found in request\"}", missing.response().bodyText());
        assertEquals("Key realm=\"kong\"", missing.response().header("WWW-Authenticate"));
        PluginTester.Result wrong = PluginTester.of(new ApiKey())
                .configJson("{\"keys\":[\"k1\"],\"header_name\":\"apikey\",\"hide_credentials\":false}")
                .request(q -> q.header("apikey", "nope")).run();
        assertEquals(401, wrong.response().status());
        assertEquals("{\"message\":\"Invalid authentication credentials\"}", wrong.response().bodyText());
        assertEquals(null, wrong.shared().get("api_key_index"));
    }

    @Test
    void schemaAndDefaults() throws Exception {
        try (var in = ApiKey.class.getResourceAsStream("/META-INF/kong-java-pluginserver/plugins/api-key.json")) {
            KongMetaschemaCheck.assertValidPluginFile(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(new ApiKey.Config("x-api-key", List.of("k"), true),
                ConfigDecoder.forType(ApiKey.Config.class).decode("{\"keys\":[\"k\"]}"));
    }
}
