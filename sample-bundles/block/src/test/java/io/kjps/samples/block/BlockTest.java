package io.kjps.samples.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.kjps.emulator.EventOutcome;
import io.kjps.processor.KongMetaschemaCheck;
import io.kjps.testkit.PluginTester;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The block sample in the test kit, as in the recorded conversation {@code block.jsonl}. */
class BlockTest {

    @Test
    void aRequestWithXBlockEndsWith403() {
        PluginTester.Result r = PluginTester.of(new Block()).request(q -> q.header("x-block", "1")).run();
        assertTrue(r.exited());
        EventOutcome access = r.outcomes().get("access");
        assertEquals(EventOutcome.Ending.EXIT, access.ending());
        assertEquals(List.of(403L, "denied", Map.of("x-why", "test")), access.terminalArgs(),
                "kong.response.exit(403, \"denied\", {\"x-why\": \"test\"})");
        assertEquals(403, r.response().status());
        assertEquals("denied", r.response().bodyText());
        assertEquals("test", r.response().header("x-why"));
    }

    @Test
    void anyOtherRequestGoesToTheUpstream() {
        PluginTester.Result r = PluginTester.of(new Block())
                .request(q -> q.path("/after-block").header("x-name", "Bob")).run();
        assertFalse(r.exited());
        assertEquals(EventOutcome.Ending.RET, r.outcomes().get("access").ending());
        assertEquals(List.of("kong.request.get_header"), r.outcomes().get("access").methods());
        assertEquals(200, r.response().status());
        assertEquals("/after-block", JsonParser.parseString(r.response().bodyText()).getAsJsonObject()
                .get("uri").getAsString(), "the echo upstream got the request");
        assertNull(r.response().header("x-why"));
    }

    @Test
    void schemaIsValidForKong() throws Exception {
        try (var in = Block.class.getResourceAsStream("/META-INF/kong-java-pluginserver/plugins/block.json")) {
            KongMetaschemaCheck.assertValidPluginFile(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
