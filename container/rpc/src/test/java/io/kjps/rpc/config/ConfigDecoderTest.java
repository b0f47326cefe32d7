package io.kjps.rpc.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.plugin.config.Default;
import io.kjps.plugin.config.Name;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigDecoderTest {

    record Hello(@Default("hi") String greeting) {
    }

    record Nested(@Default("7") int n) {
    }

    record PdkCheck(@Default("dflt") String tag, @Default("[]") List<String> list,
                    @Default("{\"n\": 7}") Nested nested) {
    }

    enum Mode { allow, deny }

    record Primitives(int i, long l, short s, byte b, double d, float f, boolean bool,
                      Integer boxed, Boolean boxedBool) {
    }

    record Defaults(@Default("5") int five, @Default("true") boolean yes, @Default("1.5") double half,
                    @Default("[\"a\", \"b\"]") List<String> ab, @Default("{\"a\": 1}") Map<String, Integer> a1,
                    @Default("allow") Mode mode, @Default("null") String nothing,
                    @Default("{\"k\": [1, 2.5, \"s\", true, null]}") Object any,
                    @Default("x y") String literal, @Default("7") String sevenAsText) {
    }

    record Names(String headerName, int maxRetries2, String url, String URLPath,
                 @Name("x-custom") String custom, @Name("CamelKept") String camel) {
    }

    record Collections(List<String> list, Set<String> set, Map<String, Integer> map, String[] strings, int[] ints,
                       List<List<Integer>> matrix, Map<String, List<String>> multi, List<Nested> records,
                       Set<Mode> modes, Map<String, Object> generic) {
    }

    record Validated(int port) {
        Validated {
            if (port < 1) {
                throw new IllegalArgumentException("port must be positive");
            }
        }
    }

    record WithInterface(Runnable r) {
    }

    record BadDefault(@Default("{") Nested n) {
    }

    static class Base {
        String inherited;
    }

    static class Bean extends Base {
        static String shared = "static";
        private String greeting;
        int count = 3;
        Integer boxed = 4;
        transient String skipped = "transient";
        @Default("9") int withDefault;
        @Name("renamed") String other;
        List<Nested> nested;
    }

    static class NoDefaultConstructor {
        NoDefaultConstructor(int x) {
        }
    }

    private static <T> T decode(Class<T> type, String json) {
        return type.cast(ConfigDecoder.forType(type).decode(json));
    }

    private static String failure(Class<?> type, String json) {
        return assertThrows(ConfigException.class, () -> ConfigDecoder.forType(type).decode(json)).getMessage();
    }

    /** Fuzz finding (ConfigFuzzTestInputs/decode/finding-number-exponent-beyond-gson-limit). */
    @Test
    void numberWithAnExponentBeyondGsonsLimitIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class, () -> decode(Nested.class, "{\"n\":1e40000}"));
        assertEquals("config.n: expected an integer, got a number out of range: 1e40000", e.getMessage());
        ConfigException d = assertThrows(ConfigException.class,
                () -> decode(Primitives.class, "{\"d\":-1E+99999}"));
        assertTrue(d.getMessage().startsWith("config.d: expected a number, got a number out of range: "),
                d.getMessage());
    }

    @Test
    void kongsExtraKeysAreIgnoredAndDefaultsApply() {
        String recorded = "{\"__key__\":\"plugins:hello:::::a4b0c8c1-6a5e-4d3f-9a35-000000000001\",\"__seq__\":1,"
                + "\"greeting\":\"hi\",\"__plugin_id\":\"00000000-0000-4000-8000-000000000001\","
                + "\"__ws_id\":\"a4b0c8c1-6a5e-4d3f-9a35-000000000001\"}";
        assertEquals(new Hello("hi"), decode(Hello.class, recorded));
        assertEquals(new Hello("one"), decode(Hello.class, "{\"greeting\":\"one\",\"__seq__\":2,"
                + "\"route_id\":null,\"service_id\":\"s\",\"plugin_instance_name\":\"p\"}"));
        assertEquals(new Hello("hi"), decode(Hello.class, "{\"__seq__\":1}"));
        assertEquals(new Hello("hi"), decode(Hello.class, "{\"greeting\":null}"));
        assertEquals(new Hello("hi"), decode(Hello.class, "{}"));
        assertEquals(new Hello("hi"), decode(Hello.class, ""));
        assertEquals(new Hello("hi"), decode(Hello.class, null));
    }

    @Test
    void recordedPdkcheckConfigs() {
        assertEquals(new PdkCheck("T1", List.of(), new Nested(7)), decode(PdkCheck.class,
                "{\"__key__\":\"plugins:pdkcheck:::::a4b0c8c1-6a5e-4d3f-9a35-000000000001\",\"nested\":{\"n\":7},"
                        + "\"tag\":\"T1\",\"list\":[],\"__seq__\":1,"
                        + "\"__plugin_id\":\"00000000-0000-4000-8000-000000000003\","
                        + "\"__ws_id\":\"a4b0c8c1-6a5e-4d3f-9a35-000000000001\"}"));
        assertEquals(new PdkCheck("T2", List.of("x", "y"), new Nested(300)), decode(PdkCheck.class,
                "{\"nested\":{\"n\":300},\"__seq__\":1,\"list\":[\"x\",\"y\"],\"tag\":\"T2\"}"));
        assertEquals(new PdkCheck("dflt", List.of(), new Nested(7)), decode(PdkCheck.class, "{}"));
    }

    @Test
    void luaEmptyTables() {
        // an empty Lua table is encoded as {} or [] depending on its metatable: accept both where either fits
        assertEquals(new PdkCheck("dflt", List.of(), new Nested(7)),
                decode(PdkCheck.class, "{\"list\":{},\"nested\":[]}"));
        assertEquals(new Nested(7), decode(Nested.class, "[]"), "the whole config as an empty array");
        Collections c = decode(Collections.class, "{\"list\":{},\"set\":{},\"map\":[],\"strings\":{},\"ints\":{},"
                + "\"matrix\":{},\"multi\":[],\"records\":{},\"modes\":{},\"generic\":[]}");
        assertEquals(List.of(), c.list());
        assertEquals(Set.of(), c.set());
        assertEquals(Map.of(), c.map());
        assertArrayEquals(new String[0], c.strings());
        assertArrayEquals(new int[0], c.ints());
        assertEquals(List.of(), c.matrix());
        assertEquals(Map.of(), c.multi());
        assertEquals(List.of(), c.records());
        assertEquals(Set.of(), c.modes());
        assertEquals(Map.of(), c.generic());
    }

    @Test
    void primitivesWithMissingValuesAreZero() {
        Primitives p = decode(Primitives.class, "{}");
        assertEquals(new Primitives(0, 0L, (short) 0, (byte) 0, 0.0, 0f, false, null, null), p);
        assertEquals(p, decode(Primitives.class, "{\"i\":null,\"l\":null,\"d\":null,\"bool\":null,\"boxed\":null}"));
    }

    /** The processor refuses a char field (no Kong type); so does the decoder, with the model's words. */
    @Test
    void aCharFieldIsRefusedWhateverItsValue() {
        record Letter(char letter) {
        }
        String why = "config.letter " + io.kjps.model.ConfigField.noKongType("char");
        assertEquals(why, assertThrows(ConfigException.class, () -> decode(Letter.class, "{\"letter\":\"x\"}"))
                .getMessage());
        assertEquals(why, assertThrows(ConfigException.class, () -> decode(Letter.class, "{}")).getMessage());
    }

    @Test
    void primitivesWithValues() {
        Primitives p = decode(Primitives.class, "{\"i\":-3,\"l\":9007199254740993,\"s\":300,\"b\":-128,\"d\":2,"
                + "\"f\":0.5,\"bool\":true,\"boxed\":2.0,\"boxed_bool\":false}");
        assertEquals(new Primitives(-3, 9007199254740993L, (short) 300, (byte) -128, 2.0, 0.5f, true, 2,
                false), p);
        assertEquals(1000L, decode(Primitives.class, "{\"l\":1e3}").l(), "an integral exponent form");
    }

    @Test
    void defaultsOfEveryJsonType() {
        Defaults d = decode(Defaults.class, "{}");
        assertEquals(5, d.five());
        assertTrue(d.yes());
        assertEquals(1.5, d.half());
        assertEquals(List.of("a", "b"), d.ab());
        assertEquals(Map.of("a", 1), d.a1());
        assertEquals(Mode.allow, d.mode(), "an enum default is the literal constant name");
        assertEquals("null", d.nothing(), "a string default is literal text, not JSON");
        assertEquals("x y", d.literal());
        assertEquals("7", d.sevenAsText());
        assertEquals(Map.of("k", Arrays.asList(1L, 2.5, "s", true, null)), d.any());
    }

    @Test
    void presentValuesWinOverDefaults() {
        Defaults d = decode(Defaults.class, "{\"five\":6,\"yes\":false,\"half\":0.25,\"ab\":[\"c\"],\"a1\":{},"
                + "\"mode\":\"deny\",\"nothing\":\"something\",\"any\":7,\"literal\":\"\",\"seven_as_text\":\"8\"}");
        assertEquals(6, d.five());
        assertEquals(false, d.yes());
        assertEquals(0.25, d.half());
        assertEquals(List.of("c"), d.ab());
        assertEquals(Map.of(), d.a1());
        assertEquals(Mode.deny, d.mode());
        assertEquals("something", d.nothing());
        assertEquals(7L, d.any());
        assertEquals("", d.literal());
        assertEquals("8", d.sevenAsText());
    }

    @Test
    void snakeCaseNamesAndNameAnnotation() {
        Names n = decode(Names.class, "{\"header_name\":\"x-h\",\"max_retries2\":3,\"url\":\"http://u\","
                + "\"urlpath\":\"/p\",\"x-custom\":\"c\",\"CamelKept\":\"k\"}");
        assertEquals(new Names("x-h", 3, "http://u", "/p", "c", "k"), n);
        Names javaNames = decode(Names.class, "{\"headerName\":\"x-h\",\"maxRetries2\":3,\"URLPath\":\"/p\","
                + "\"custom\":\"c\",\"camel_kept\":\"k\"}");
        assertEquals(new Names(null, 0, null, null, null, null), javaNames, "Java names are not Kong names");
    }

    @Test
    void collectionsOfEveryKind() {
        Collections c = decode(Collections.class, "{\"list\":[\"a\",null,\"b\"],\"set\":[\"x\",\"y\",\"x\"],"
                + "\"map\":{\"b\":2,\"a\":1},\"strings\":[\"s\"],\"ints\":[1,2,3],\"matrix\":[[1],[],[2,3]],"
                + "\"multi\":{\"h\":[\"1\",\"2\"]},\"records\":[{\"n\":1},{}],\"modes\":[\"deny\",\"allow\"],"
                + "\"generic\":{\"n\":1,\"f\":1.25,\"l\":[true],\"m\":{\"z\":null}}}");
        assertEquals(Arrays.asList("a", null, "b"), c.list(), "nulls inside lists are kept");
        assertInstanceOf(LinkedHashSet.class, c.set());
        assertEquals(List.of("x", "y"), List.copyOf(c.set()), "a set keeps the first occurrence order");
        assertEquals(List.of("b", "a"), List.copyOf(c.map().keySet()), "maps keep JSON order");
        assertEquals(Map.of("a", 1, "b", 2), c.map());
        assertArrayEquals(new String[] {"s"}, c.strings());
        assertArrayEquals(new int[] {1, 2, 3}, c.ints());
        assertEquals(List.of(List.of(1), List.of(), List.of(2, 3)), c.matrix());
        assertEquals(Map.of("h", List.of("1", "2")), c.multi());
        assertEquals(List.of(new Nested(1), new Nested(7)), c.records(), "defaults apply inside list elements");
        assertEquals(List.of(Mode.deny, Mode.allow), List.copyOf(c.modes()));
        Map<String, Object> generic = new LinkedHashMap<>();
        generic.put("n", 1L);
        generic.put("f", 1.25);
        generic.put("l", List.of(true));
        Map<String, Object> z = new LinkedHashMap<>();
        z.put("z", null);
        generic.put("m", z);
        assertEquals(generic, c.generic());
    }

    @Test
    void nullsInsidePrimitiveArraysAreZero() {
        assertArrayEquals(new int[] {1, 0, 3}, decode(Collections.class, "{\"ints\":[1,null,3]}").ints());
    }

    @Test
    void nullsAreTolerated() {
        Collections c = decode(Collections.class, "{\"list\":null,\"set\":null,\"strings\":null,"
                + "\"ints\":null,\"records\":[null],\"map\":{\"a\":null}}");
        assertNull(c.list());
        assertNull(c.set());
        assertNull(c.strings());
        assertNull(c.ints());
        assertEquals(java.util.Collections.singletonList(null), c.records());
        Map<String, Integer> nullValue = new LinkedHashMap<>();
        nullValue.put("a", null);
        assertEquals(nullValue, c.map());
    }

    @Test
    void classesAreFilledFieldByField() {
        Bean b = decode(Bean.class, "{\"greeting\":\"g\",\"inherited\":\"i\",\"renamed\":\"r\","
                + "\"nested\":[{\"n\":2}],\"skipped\":\"no\",\"shared\":\"no\"}");
        assertEquals("g", b.greeting);
        assertEquals("i", b.inherited, "superclass fields too");
        assertEquals("r", b.other);
        assertEquals(List.of(new Nested(2)), b.nested);
        assertEquals("transient", b.skipped, "transient fields are not config");
        assertEquals("static", Bean.shared, "static fields are not config");
        assertEquals(9, b.withDefault);
        // documented: a missing field is its @Default, else null, or zero for primitives
        assertEquals(0, b.count);
        assertNull(b.boxed);
    }

    @Test
    void classWithoutNoArgConstructor() {
        assertEquals(true, failure(NoDefaultConstructor.class, "{}").startsWith("config: " +
                NoDefaultConstructor.class.getName() + " needs a no-argument constructor"));
    }

    @Test
    void nestedTypeMismatchNamesThePath() {
        assertEquals("config.nested.n: expected an integer, got \"x\"",
                failure(PdkCheck.class, "{\"nested\":{\"n\":\"x\"}}"));
        assertEquals("config.nested: expected a record (JSON object), got 5",
                failure(PdkCheck.class, "{\"nested\":5}"));
        assertEquals("config.list: expected an array, got \"a\"", failure(PdkCheck.class, "{\"list\":\"a\"}"));
        assertEquals("config.list[2]: expected a string, got {}", failure(PdkCheck.class, "{\"list\":[\"a\",{}]}"));
        assertEquals("config.tag: expected a string, got [\"a\"]", failure(PdkCheck.class, "{\"tag\":[\"a\"]}"));
        assertEquals("config.bool: expected a boolean, got \"yes\"",
                failure(Primitives.class, "{\"bool\":\"yes\"}"));
        assertEquals("config.bool: expected a boolean, got 1", failure(Primitives.class, "{\"bool\":1}"));
        assertEquals("config.d: expected a number, got \"1\"", failure(Primitives.class, "{\"d\":\"1\"}"));
        assertEquals("config.map: expected a map, got [1]", failure(Collections.class, "{\"map\":[1]}"));
        assertEquals("config.map.a: expected an integer, got \"x\"",
                failure(Collections.class, "{\"map\":{\"a\":\"x\"}}"));
        assertEquals("config.records[1].n: expected an integer, got true",
                failure(Collections.class, "{\"records\":[{\"n\":true}]}"));
        assertEquals("config.matrix[2][1]: expected an integer, got \"q\"",
                failure(Collections.class, "{\"matrix\":[[],[\"q\"]]}"));
        assertEquals("config.modes[1]: \"maybe\" is not one of [allow, deny]",
                failure(Collections.class, "{\"modes\":[\"maybe\"]}"));
        assertEquals("config: expected a record (JSON object), got \"text\"", failure(Hello.class, "\"text\""));
    }

    @Test
    void nonIntegralOrOverflowingNumbersForIntegerFields() {
        assertEquals("config.i: expected an integer that fits int, got 1.5",
                failure(Primitives.class, "{\"i\":1.5}"));
        assertEquals("config.i: expected an integer that fits int, got 3000000000",
                failure(Primitives.class, "{\"i\":3000000000}"));
        assertEquals("config.b: expected an integer that fits byte, got 128", failure(Primitives.class, "{\"b\":128}"));
        assertEquals("config.s: expected an integer that fits short, got 40000",
                failure(Primitives.class, "{\"s\":40000}"));
        assertEquals("config.l: expected an integer that fits long, got 1.0E19",
                failure(Primitives.class, "{\"l\":1.0E19}"));
        assertEquals("config.boxed: expected an integer that fits Integer, got 0.1",
                failure(Primitives.class, "{\"boxed\":0.1}"));
        assertEquals(2, decode(Primitives.class, "{\"i\":2.0}").i(), "an integral float is an integer");
    }

    @Test
    void notJson() {
        String message = failure(Hello.class, "{\"greeting\":");
        assertTrue(message.startsWith("config is not JSON: "), message);
    }

    @Test
    void constructorRejection() {
        assertEquals(new Validated(80), decode(Validated.class, "{\"port\":80}"));
        assertEquals("config: the constructor of " + Validated.class.getName() + " rejected the config: "
                + "java.lang.IllegalArgumentException: port must be positive", failure(Validated.class, "{}"));
    }

    @Test
    void undecodableFieldType() {
        assertEquals("config.r: the config type java.lang.Runnable cannot be decoded",
                failure(WithInterface.class, "{\"r\":{}}"));
        assertNull(decode(WithInterface.class, "{}").r(), "only a present value needs decoding");
    }

    @Test
    void malformedDefault() {
        ConfigException e = assertThrows(ConfigException.class, () -> decode(BadDefault.class, "{}"));
        assertEquals("config.n: @Default(\"{\") is not JSON", e.getMessage());
        assertEquals(new BadDefault(new Nested(1)), decode(BadDefault.class, "{\"n\":{\"n\":1}}"));
    }

    @Test
    void pluginsWithoutConfig() {
        assertNull(ConfigDecoder.forType(null).decode("{\"a\":1}"));
        assertNull(ConfigDecoder.forType(Void.class).decode("not even json"));
        assertSame(Void.class, ConfigDecoder.forType(Void.class).type());
        assertNull(ConfigDecoder.forType(null).type());
    }

    @Test
    void objectConfigTypeGetsGenericValues() {
        Map<String, Object> want = new LinkedHashMap<>();
        want.put("a", 1L);
        want.put("b", List.of("x"));
        assertEquals(want, ConfigDecoder.forType(Object.class).decode("{\"a\":1,\"b\":[\"x\"]}"));
        assertEquals(Map.of("a", 1L), ConfigDecoder.forType(Map.class).decode("{\"a\":1}"));
    }

    record Limit(int perMinute) {
    }

    record Resolved(@Name("ignored") String url, List<Limit> limits, Map<String, Limit> byRoute) {
    }

    /**
     * With the descriptor's resolved fields the decoder follows them, names and defaults included, and reads no
     * annotation: here the descriptor says {@code base_url} although the class says {@code @Name("ignored")}.
     */
    @Test
    void followsTheResolvedFieldsOfTheDescriptor() {
        io.kjps.model.ConfigField limit = io.kjps.model.ConfigField.shape("record",
                List.of(io.kjps.model.ConfigField.of("perMinute", null, "integer", "60")), null, null);
        List<io.kjps.model.ConfigField> resolved = List.of(
                io.kjps.model.ConfigField.of("url", "base_url", "string", "http://d"),
                new io.kjps.model.ConfigField("limits", "limits", "array", "[{}]", List.of(), limit, null),
                new io.kjps.model.ConfigField("byRoute", "by_route", "map", null, List.of(), null, limit));
        ConfigDecoder decoder = ConfigDecoder.forType(Resolved.class, resolved);
        assertEquals(new Resolved("http://d", List.of(new Limit(60)), Map.of("r", new Limit(60))),
                decoder.decode("{\"ignored\":\"x\",\"by_route\":{\"r\":{}}}"));
        assertEquals(new Resolved("http://x", List.of(new Limit(5)), null),
                decoder.decode("{\"base_url\":\"http://x\",\"limits\":[{\"per_minute\":5}]}"));
    }

    @Test
    void aDescriptorThatDoesNotFitTheClassIsAConfigError() {
        List<io.kjps.model.ConfigField> stale = List.of(io.kjps.model.ConfigField.of("url", null, "string", null),
                io.kjps.model.ConfigField.of("gone", null, "string", null));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigDecoder.forType(Resolved.class, stale).decode("{}"));
        assertTrue(e.getMessage().startsWith("config: " + Resolved.class.getName() + " has member limits, which its "
                + "plugin descriptor does not describe"), e.getMessage());
    }
}
