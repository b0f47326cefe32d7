package io.kjps.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.plugin.config.Default;
import io.kjps.plugin.config.Name;
import io.kjps.rpc.config.ConfigDecoder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Config objects written as Kong's JSON, read back by the server's own decoder. */
class ConfigJsonTest {

    enum Mode { SET, ADD }

    record Limits(int perMinute, @Name("burst") long burstSize) {
    }

    record Everything(String headerName, @Name("KEYS") List<String> apiKeys, Set<String> tags,
                      Map<String, Integer> weights, Map<String, Limits> perRoute, Mode mode, List<Mode> modes,
                      Limits limits, List<Limits> tiers, boolean enabled, Boolean optional, int count, long big,
                      short small, byte tiny, double ratio, float half, Double maybe, String[] names, int[] ports,
                      Object anything, @Default("dflt") String withDefault, @Default("3") int withNumber) {
    }

    @Test
    void everyKindOfValueInKongsNamesAndOrder() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("a", 1);
        weights.put("b", 2);
        Everything e = new Everything("x-api-key", List.of("k1", "k2"), new LinkedHashSet<>(List.of("t1", "t2")),
                weights, Map.of("/r", new Limits(10, 20)), Mode.ADD, List.of(Mode.SET, Mode.ADD), new Limits(1, 2L),
                List.of(new Limits(3, 4)), true, null, 7, 1L << 40, (short) -2, (byte) 5, 0.25, 1.5f, null,
                new String[] {"n"}, new int[] {80, 443}, Map.of("free", List.of(1, "two", false)), null, 9);
        assertEquals("{\"header_name\":\"x-api-key\",\"KEYS\":[\"k1\",\"k2\"],\"tags\":[\"t1\",\"t2\"],"
                + "\"weights\":{\"a\":1,\"b\":2},\"per_route\":{\"/r\":{\"per_minute\":10,\"burst\":20}},"
                + "\"mode\":\"ADD\",\"modes\":[\"SET\",\"ADD\"],\"limits\":{\"per_minute\":1,\"burst\":2},"
                + "\"tiers\":[{\"per_minute\":3,\"burst\":4}],\"enabled\":true,\"optional\":null,\"count\":7,"
                + "\"big\":1099511627776,\"small\":-2,\"tiny\":5,\"ratio\":0.25,\"half\":1.5,\"maybe\":null,"
                + "\"names\":[\"n\"],\"ports\":[80,443],\"anything\":{\"free\":[1,\"two\",false]},"
                + "\"with_default\":null,\"with_number\":9}", ConfigJson.write(e));
    }

    @Test
    void theDecoderReadsBackWhatWasWritten() {
        Everything e = new Everything("h", List.of(), Set.of(), Map.of(), Map.of(), Mode.SET, List.of(),
                new Limits(0, 0), List.of(), false, Boolean.TRUE, -1, Long.MIN_VALUE, Short.MAX_VALUE,
                Byte.MIN_VALUE, -0.5, 2.25f, 3.0, new String[0], new int[] {1}, List.of("x"), "given", 0);
        Everything back = (Everything) ConfigDecoder.forType(Everything.class).decode(ConfigJson.write(e));
        assertEquals(e.headerName(), back.headerName());
        assertEquals(e.mode(), back.mode());
        assertEquals(e.limits(), back.limits());
        assertEquals(e.optional(), back.optional());
        assertEquals(e.big(), back.big());
        assertEquals(e.small(), back.small());
        assertEquals(e.tiny(), back.tiny());
        assertEquals(e.ratio(), back.ratio());
        assertEquals(e.half(), back.half());
        assertEquals(e.maybe(), back.maybe());
        assertArrayEquals(e.ports(), back.ports());
        assertEquals(e.anything(), back.anything());
        assertEquals("given", back.withDefault());
    }

    @Test
    void aNullFieldTakesItsDefaultAsWhenKongFillsItIn() {
        record WithDefaults(@Default("hello") String greeting, @Default("[\"a\"]") List<String> list,
                            @Default("5") Integer n) {
        }
        assertEquals("{\"greeting\":null,\"list\":null,\"n\":null}",
                ConfigJson.write(new WithDefaults(null, null, null)));
        assertEquals(new WithDefaults("hello", List.of("a"), 5), ConfigDecoder.forType(WithDefaults.class)
                .decode(ConfigJson.write(new WithDefaults(null, null, null))));
    }

    /** A config class rather than a record: fields, superclass ones too. */
    static class Base {
        @Name("base_url")
        String url = "http://x";
        static String ignoredStatic = "s";
    }

    static class Bean extends Base {
        int retryCount = 2;
        transient String ignoredTransient = "t";
        List<Limits> limits = new ArrayList<>(List.of(new Limits(1, 1)));
    }

    @Test
    void configClassesByTheirFields() {
        String json = ConfigJson.write(new Bean());
        assertEquals("{\"base_url\":\"http://x\",\"retry_count\":2,\"limits\":[{\"per_minute\":1,\"burst\":1}]}",
                json);
        Bean back = (Bean) ConfigDecoder.forType(Bean.class).decode(json);
        assertEquals("http://x", back.url);
        assertEquals(2, back.retryCount);
        assertEquals(List.of(new Limits(1, 1)), back.limits);
    }

    @Test
    void valuesJsonCannotHoldAreRefusedWithTheirPath() {
        record Ratio(double ratio) {
        }
        record Opt(Optional<String> o) {
        }
        record Keys(Map<Object, String> m) {
        }
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> ConfigJson.write(new Ratio(Double.NaN)));
        assertTrue(nan.getMessage().startsWith("config.ratio: NaN"), nan.getMessage());
        IllegalArgumentException opt = assertThrows(IllegalArgumentException.class,
                () -> ConfigJson.write(new Opt(Optional.of("x"))));
        assertTrue(opt.getMessage().startsWith("config.o: a java.util.Optional"), opt.getMessage());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> ConfigJson.write(new Keys(Map.of(List.of(), "v"))));
        assertTrue(key.getMessage().startsWith("config.m: a map key must be"), key.getMessage());
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        IllegalArgumentException deep = assertThrows(IllegalArgumentException.class,
                () -> ConfigJson.write(Map.of("c", cycle)));
        assertTrue(deep.getMessage().contains("a cycle?"), deep.getMessage());
    }

    @Test
    void mapKeysThatAreEnumsNumbersOrBooleans() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(Mode.SET, 1);
        m.put(2, "two");
        m.put(true, BigDecimal.ONE);
        assertEquals("{\"SET\":1,\"2\":\"two\",\"true\":1}", ConfigJson.write(m));
    }

    /**
     * The test kit used to write a char as a one-character string, which the decoder then refused and the
     * processor never let compile: now the writer refuses it too, with the model's words, as the decoder does.
     */
    @Test
    void aCharIsRefusedByTheWriterAsByTheDecoder() {
        record Letter(char letter) {
        }
        record Boxed(Character letter) {
        }
        String why = io.kjps.model.ConfigField.noKongType("char");
        assertEquals("config.letter " + why, assertThrows(IllegalArgumentException.class,
                () -> ConfigJson.write(new Letter('x'))).getMessage());
        assertEquals("config.letter " + why, assertThrows(io.kjps.rpc.config.ConfigException.class,
                () -> ConfigDecoder.forType(Letter.class).decode("{\"letter\":\"x\"}")).getMessage());
        String boxed = "config.letter " + io.kjps.model.ConfigField.noKongType("java.lang.Character");
        assertEquals(boxed, assertThrows(IllegalArgumentException.class,
                () -> ConfigJson.write(new Boxed(null))).getMessage());
        assertEquals(boxed, assertThrows(io.kjps.rpc.config.ConfigException.class,
                () -> ConfigDecoder.forType(Boxed.class).decode("{}")).getMessage());
        assertEquals("config[1] " + io.kjps.model.ConfigField.noKongType("java.lang.Character"),
                assertThrows(IllegalArgumentException.class, () -> ConfigJson.write(List.of('x'))).getMessage());
    }

    /**
     * Kong refuses a config that leaves out a field {@code required} without a default ({@code config.path: required
     * field missing}) before it reaches the server, so the writer refuses it too, by the resolved fields'
     * attributes; with a default Kong fills the field in, so a {@code null} there is written and the default applies.
     */
    @Test
    void aRequiredFieldWithoutDefaultLeftOutIsRefusedAsKongRefusesIt() {
        record Log(String path, String format) {
        }
        com.google.gson.JsonPrimitive yes = new com.google.gson.JsonPrimitive(true);
        List<io.kjps.model.ConfigField> resolved = List.of(
                new io.kjps.model.ConfigField("path", "path", "string", null, List.of(), null, null,
                        Map.of("required", yes)),
                new io.kjps.model.ConfigField("format", "format", "string", "json", List.of(), null, null,
                        Map.of("required", yes)));
        assertEquals("config.path: required field missing (Kong refuses this config)",
                assertThrows(IllegalArgumentException.class,
                        () -> ConfigJson.write(new Log(null, "text"), resolved)).getMessage());
        assertEquals("{\"path\":\"/var/log/x\",\"format\":null}",
                ConfigJson.write(new Log("/var/log/x", null), resolved));
        assertEquals(new Log("/var/log/x", "json"), ConfigDecoder.forType(Log.class, resolved)
                .decode(ConfigJson.write(new Log("/var/log/x", null), resolved)));
    }
}
