package io.kjps.processor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void writesCompactJsonInMapOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", 1);
        m.put("a", List.of(true, false, "x"));
        m.put("n", null);
        m.put("l", 7L);
        m.put("d", 2.5);
        m.put("e", new LinkedHashMap<>());
        m.put("f", List.of());
        assertEquals("{\"b\":1,\"a\":[true,false,\"x\"],\"n\":null,\"l\":7,\"d\":2.5,\"e\":{},\"f\":[]}",
                Json.write(m));
    }

    @Test
    void escapesStrings() {
        assertEquals("\"q\\\" b\\\\ s/ \\n\\r\\t\\b\\f \\u0000\\u001f \u007f é € 😀\"",
                Json.write("q\" b\\ s/ \n\r\t\b\f \u0000\u001f \u007f é € 😀"));
        assertEquals("\"\\ud800x\\udc00\"", Json.write("\ud800x\udc00"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.0, 0",
        "-0.0, 0",
        "7.0, 7",
        "-3.0, -3",
        "0.1, 0.1",
        "2.5, 2.5",
        "1.5, 1.5",
        "0.3, 0.3",
        "100.0, 100",
        "1e20, 100000000000000000000",
        "1e21, 1e21",
        "1.5e-8, 1.5e-8",
        "1e-7, 0.0000001",
        "1.7976931348623157e308, 1.7976931348623157e308",
        "4.9e-324, 5e-324",
        "2.2250738585072014E-308, 2.2250738585072014e-308",
        "123456.789, 123456.789",
        "9007199254740993, 9007199254740992",
        "2.82879384806159E17, 282879384806159000",
        "1.0E23, 1e23",
    })
    void formatsDoublesInTheirShortestForm(double value, String expected) {
        assertEquals(expected, Json.formatDouble(value));
        assertEquals(value == 0 ? 0.0 : value, Double.parseDouble(expected));
    }

    @Test
    void writesFloatsThroughTheirDoubleValue() {
        assertEquals("0.5", Json.write(0.5f));
    }

    @Test
    void refusesNonFiniteNumbers() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.POSITIVE_INFINITY));
    }

    @Test
    void writesDecimalsAsIntegersWhenIntegral() {
        assertEquals("[7,70,-1,0.5,12345678901234567890,1e21]", Json.write(Arrays.asList(new BigDecimal("7.00"),
                new BigDecimal("7e1"), new BigDecimal("-1"), new BigDecimal("0.50"),
                new BigDecimal("12345678901234567890"), new BigDecimal("1e21"))));
    }

    @Test
    void parsesEveryKindOfValue() throws Exception {
        Object v = Json.parse(" {\"a\": [1, -2.5e1, true, false, null], \"b\": {\"c\": \"x\\u00e9\\n\\\"\\/\"}} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", Arrays.asList(new BigDecimal("1"), new BigDecimal("-2.5e1"), true, false, null));
        expected.put("b", Map.of("c", "xé\n\"/"));
        assertEquals(expected, v);
        assertEquals(List.of(), Json.parse("[]"));
        assertEquals(Map.of(), Json.parse("{ }"));
        assertEquals("", Json.parse("\"\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "[1,", "[1,]", "{\"a\":1,}", "{a:1}", "01", "1.", ".5", "-", "+1", "1e",
        "tru", "nul", "\"abc", "\"a\tb\"", "\"\\x\"", "\"\\u12\"", "[1] x", "{\"a\":1,\"a\":2}", "'a'", "NaN"})
    void rejectsWhatIsNotJson(String text) {
        assertThrows(Json.JsonException.class, () -> Json.parse(text));
    }

    @Test
    void readsBackWhatItWrites() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "é\u0001\"\\");
        m.put("l", List.of(new BigDecimal("1"), "x"));
        assertEquals(m, Json.parse(Json.write(m)));
    }
}
