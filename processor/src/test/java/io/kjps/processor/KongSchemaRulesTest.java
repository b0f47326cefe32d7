package io.kjps.processor;

import static io.kjps.processor.TestCompiler.compile;
import static io.kjps.processor.TestCompiler.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kjps.processor.TestCompiler.Source;
import org.junit.jupiter.api.Test;

/**
 * Rules of Kong's schema code that a config record must meet to be loaded at all, and what the processor writes for
 * them (docs/protocol.md §2.4): an empty string default, and an optional nested record Kong could not fill.
 */
class KongSchemaRulesTest {

    private static JsonObject configFields(String components, String types) {
        Source p = source("test.P", """
                package test;

                import io.kjps.pdk.Kong;
                import io.kjps.plugin.KongPhaseHandler;
                import io.kjps.plugin.KongPlugin;
                import io.kjps.plugin.config.*;
                import java.util.*;

                @KongPlugin(name = "p", version = "1.0.0", priority = 1)
                public class P implements KongPhaseHandler<P.Config> {
                %s
                    public record Config(%s) {}

                    @Override
                    public void access(Kong kong, Config config) {}
                }
                """.formatted(types, components));
        String json = compile(p).assertClean().plugin("p");
        KongMetaschemaCheck.assertValidPluginFile(json);
        JsonObject out = new JsonObject();
        JsonObject config = JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("Kong")
                .getAsJsonObject("Schema").getAsJsonArray("fields").get(0).getAsJsonObject().getAsJsonObject("config");
        config.getAsJsonArray("fields").forEach(f -> f.getAsJsonObject().entrySet()
                .forEach(e -> out.add(e.getKey(), e.getValue())));
        return out;
    }

    @Test
    void aStringWhoseDefaultIsEmptyMayBeEmpty() {
        // Kong gives a string field without len_min the value 1 and checks the default against it: without
        // len_min 0 it would refuse to load the schema ("length must be at least 1")
        JsonObject f = configFields("@Default(\"\") String addField, @Default(\"x\") String other", "");
        assertEquals(JsonParser.parseString("{\"type\":\"string\",\"default\":\"\",\"len_min\":0}"),
                f.get("add_field"));
        assertEquals(JsonParser.parseString("{\"type\":\"string\",\"default\":\"x\"}"), f.get("other"),
                "a field whose default is not empty keeps Kong's rule: no empty string");
    }

    @Test
    void anExplicitLenMinZeroIsKept() {
        JsonObject f = configFields("@LenMin(0) @Default(\"\") String s", "");
        assertEquals(JsonParser.parseString("{\"type\":\"string\",\"default\":\"\",\"len_min\":0}"), f.get("s"));
    }

    @Test
    void anOptionalRecordKongCouldNotFillFromDefaultsIsRequiredFalse() {
        JsonObject f = configFields("Inner inner, Filled filled, @Required Inner must",
                """
                    public record Inner(@Required String a, @Default("1") int b) {}
                    public record Filled(@Default("x") String a) {}
                """);
        // Kong makes records required and fills a missing one from its fields' defaults; Inner's required a has
        // none, so every config leaving inner out would fail: it is written as optional, and Kong then sends null
        assertEquals(false, f.getAsJsonObject("inner").get("required").getAsBoolean());
        assertFalse(f.getAsJsonObject("filled").has("required"), "a record Kong can fill stays as it was");
        assertEquals(true, f.getAsJsonObject("must").get("required").getAsBoolean());
    }

    @Test
    void aRecordInsideARecordCountsWhenKongWouldBuildItAlong() {
        JsonObject f = configFields("Outer outer",
                """
                    public record Inner(@Required String a) {}
                    public record Outer(Inner inner, @Default("2") int n) {}
                """);
        // outer.inner is optional itself (written required = false), so Kong can build outer from n's default
        assertFalse(f.getAsJsonObject("outer").has("required"));
        assertEquals(false, f.getAsJsonObject("outer").getAsJsonArray("fields").get(0).getAsJsonObject()
                .getAsJsonObject("inner").get("required").getAsBoolean());
    }
}
