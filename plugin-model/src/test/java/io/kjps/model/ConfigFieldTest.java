package io.kjps.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigFieldTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "java.lang.String, string", "boolean, boolean", "java.lang.Boolean, boolean",
        "byte, integer", "java.lang.Byte, integer", "short, integer", "java.lang.Short, integer",
        "int, integer", "java.lang.Integer, integer", "long, integer", "java.lang.Long, integer",
        "float, number", "java.lang.Float, number", "double, number", "java.lang.Double, number",
        "java.util.List, array", "java.util.Collection, array", "java.util.Set, set", "java.util.Map, map",
    })
    void kongTypesOfNamedTypes(String javaType, String kongType) {
        assertEquals(kongType, ConfigField.kongType(javaType));
    }

    @ParameterizedTest
    @ValueSource(strings = {"char", "java.lang.Character"})
    void charHasNoKongTypeAndIsRefused(String javaType) {
        assertNull(ConfigField.kongType(javaType));
        assertTrue(ConfigField.isRefused(javaType));
        assertTrue(ConfigField.noKongType(javaType).startsWith("has type " + javaType + ", which has no Kong type"));
    }

    @Test
    void attributesGoThroughTheDescriptorAndTellWhatKongRequires() {
        ConfigField path = new ConfigField("path", "path", "string", null, List.of(), null, null,
                Map.of("required", new JsonPrimitive(true), "len_min", new JsonPrimitive(1)));
        ConfigField read = ConfigField.fromJson(JsonParser.parseString(path.toJson().toString()), true);
        assertEquals(path, read);
        assertEquals(new JsonPrimitive(1), read.attributes().get("len_min"));
        assertTrue(read.requiredWithoutDefault(), "required, nothing for Kong to fill in");
        ConfigField withDefault = new ConfigField("path", "path", "string", "/tmp/x", List.of(), null, null,
                Map.of("required", new JsonPrimitive(true)));
        assertFalse(withDefault.requiredWithoutDefault(), "Kong fills the default before it validates");
        ConfigField plain = ConfigField.of("path", null, "string", null);
        assertTrue(plain.attributes().isEmpty());
        assertFalse(plain.toJson().has("Attributes"), "no attributes, no key: older descriptors read the same");
        assertFalse(plain.requiredWithoutDefault());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigField.fromJson(
                JsonParser.parseString("{\"Member\":\"a\",\"Name\":\"a\",\"Type\":\"string\",\"Attributes\":[]}"),
                true));
        assertTrue(e.getMessage().startsWith("the Attributes of a config field must be an object"), e.getMessage());
    }

    @Test
    void otherShapes() {
        assertEquals("string", ConfigField.kongTypeOfEnum());
        assertEquals("array", ConfigField.kongTypeOfArray("int"));
        assertNull(ConfigField.kongTypeOfArray("byte"), "binary data");
        assertFalse(ConfigField.isRefused("java.lang.String"));
        assertTrue(ConfigField.isJdkPackage("java.util"));
        assertTrue(ConfigField.isJdkPackage("com.sun.net"));
        assertFalse(ConfigField.isJdkPackage("javafoo"));
        assertFalse(ConfigField.isJdkPackage("io.kjps.samples"));
    }

    @Test
    void namesByAnnotationElseSnakeCase() {
        assertEquals("header_name", ConfigField.of("headerName", null, "string", null).name());
        assertEquals("X-Header", ConfigField.of("headerName", "X-Header", "string", null).name());
        assertEquals("headerName", ConfigField.of("headerName", null, "string", null).member());
    }

    @Test
    void membersAreInstanceFieldsThatAreNotTransientOrSynthetic() {
        assertTrue(ConfigField.isConfigField(false, false, false));
        assertFalse(ConfigField.isConfigField(true, false, false));
        assertFalse(ConfigField.isConfigField(false, true, false));
        assertFalse(ConfigField.isConfigField(false, false, true));
    }

    @Test
    void aStringDefaultIsItsTextOtherDefaultsAreJson() {
        assertEquals(new JsonPrimitive("[1]"), ConfigField.of("s", null, "string", "[1]").defaultValue());
        assertEquals(new JsonPrimitive(""), ConfigField.of("s", null, "string", "").defaultValue());
        assertEquals(JsonParser.parseString("[1]"), ConfigField.of("xs", null, "array", "[1]").defaultValue());
        assertEquals(JsonParser.parseString("7"), ConfigField.of("n", null, "integer", "7").defaultValue());
        assertNull(ConfigField.of("n", null, "integer", null).defaultValue());
        assertEquals("@Default(\"[1,\") is not JSON", assertThrows(IllegalArgumentException.class,
                () -> ConfigField.of("xs", null, "array", "[1,").defaultValue()).getMessage());
    }
}
