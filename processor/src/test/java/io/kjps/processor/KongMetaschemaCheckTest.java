package io.kjps.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The checker itself: it accepts what Kong accepts and names what Kong refuses. */
class KongMetaschemaCheckTest {

    static List<String> violations(String schemaJson) {
        return KongMetaschemaCheck.violations(JsonParser.parseString(schemaJson).getAsJsonObject());
    }

    static String config(String fields) {
        return "{\"name\":\"x\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":[" + fields + "]}}]}";
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // the schemas of the recordings' dumps (kong-recordings/conversations/dumps/*.json)
        "{\"name\":\"hello\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":[{\"greeting\":"
            + "{\"type\":\"string\",\"default\":\"hi\"}}]}}]}",
        "{\"name\":\"pdkcheck\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":[{\"tag\":{\"type\":\"string\","
            + "\"default\":\"dflt\"}},{\"list\":{\"type\":\"array\",\"elements\":{\"type\":\"string\"},\"default\":[]}},"
            + "{\"nested\":{\"type\":\"record\",\"fields\":[{\"n\":{\"type\":\"integer\",\"default\":7}}]}}]}}]}",
        "{\"name\":\"block\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":[]}}]}",
        // an empty default on a string that says it may be empty
        "{\"name\":\"x\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":[{\"s\":{\"type\":\"string\","
            + "\"default\":\"\",\"len_min\":0}}]}}]}",
        // attributes the metaschema does not restrict to a type
        "{\"name\":\"x\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":[{\"n\":{\"type\":\"integer\","
            + "\"gt\":0,\"len_min\":1,\"required\":true,\"encrypted\":true}}]}}]}",
    })
    void acceptsValidSchemas(String schema) {
        assertEquals(List.of(), violations(schema));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"a\":{\"type\":\"array\"}}                                  | config.a: field of type 'array' must declare 'elements'",
        "{\"a\":{\"type\":\"set\"}}                                    | config.a: field of type 'set' must declare 'elements'",
        "{\"a\":{\"type\":\"map\",\"keys\":{\"type\":\"string\"}}}     | config.a: field of type 'map' must declare 'values'",
        "{\"a\":{\"type\":\"map\",\"values\":{\"type\":\"string\"}}}   | config.a: field of type 'map' must declare 'keys'",
        "{\"a\":{\"type\":\"record\"}}                                 | config.a: field of type 'record' must declare 'fields'",
        "{\"a\":{\"type\":\"array\",\"elements\":{\"type\":\"set\"}}}  | config.a.elements: field of type 'set' must declare 'elements'",
        "{\"a\":{\"type\":\"text\"}}                                   | config.a: invalid type text",
        "{\"a\":{\"required\":true}}                                   | config.a: missing type declaration",
        "{\"a\":{\"type\":\"string\",\"between\":[1,2]}}               | config.a: field of type 'string' cannot have attribute 'between'",
        "{\"a\":{\"type\":\"boolean\",\"one_of\":[true]}}              | config.a: field of type 'boolean' cannot have attribute 'one_of'",
        "{\"a\":{\"type\":\"integer\",\"uuid\":true}}                  | config.a: field of type 'integer' cannot have attribute 'uuid'",
        "{\"a\":{\"type\":\"integer\",\"match\":\"x\"}}                | config.a: field of type 'integer' cannot have attribute 'match'",
        "{\"a\":{\"type\":\"string\",\"nullable\":true}}               | config.a: unknown attribute 'nullable'",
        "{\"a\":{\"type\":\"string\",\"description\":\"short\"}}       | config.a: description must be a string of 10 to 500 bytes",
        "{\"a\":{\"type\":\"string\",\"required\":\"yes\"}}            | config.a: 'required' must be a boolean",
        "{\"a\":{\"type\":\"integer\",\"between\":[1]}}                | config.a: between must be an array of two numbers",
        "{\"a\":{\"type\":\"string\",\"len_min\":1.5}}                 | config.a: 'len_min' must be an integer",
        "{\"a\":{\"type\":\"integer\",\"default\":1.5}}                | config.a: default 1.5 is not valid: expected an integer",
        "{\"a\":{\"type\":\"string\",\"one_of\":[\"x\"],\"default\":\"y\"}} | config.a: default \"y\" is not valid: not one of [\"x\"]",
        "{\"a\":{\"type\":\"array\",\"elements\":{\"type\":\"integer\"},\"default\":[\"1\"]}} | config.a: default [\"1\"] is not valid: element \"1\": expected an integer",
        "{\"a\":{\"type\":\"record\",\"fields\":[],\"default\":{\"b\":1}}} | config.a: default {\"b\":1} is not valid: unknown field b",
        // the json-transform sample's schema before the rule was applied: Kong 3.9.3 refused to load it
        "{\"a\":{\"type\":\"string\",\"default\":\"\"}}               | config.a: default \"\" is not valid: length must be at least 1",
        "{\"a\":{\"type\":\"string\"},\"b\":{\"type\":\"string\"}}     | config.fields: each entry must be an object with exactly one key: {\"a\":{\"type\":\"string\"},\"b\":{\"type\":\"string\"}}",
    })
    void namesEachViolation(String field, String violation) {
        assertEquals(List.of(violation.strip()), violations(config(field.strip())));
    }

    @Test
    void checksThePluginObject() {
        String good = "{\"Kong\":{\"Name\":\"x\",\"Version\":\"1.0\",\"Priority\":1,\"Phases\":[\"access\"],"
                + "\"Schema\":" + config("") + "},\"Handler\":\"a.B\",\"ConfigType\":null}";
        KongMetaschemaCheck.assertValidPluginFile(good);
        for (String bad : List.of(
                good.replace("\"1.0\"", "\"1.0.0.0\""),
                good.replace("\"Priority\":1", "\"Priority\":1.5"),
                good.replace("[\"access\"]", "[\"header_filter\"]"),
                good.replace("[\"access\"]", "[\"access\",\"access\"]"),
                good.replace("\"Name\":\"x\"", "\"Name\":\"y\""),
                good.replace("\"Handler\":\"a.B\",", ""))) {
            assertThrows(AssertionError.class, () -> KongMetaschemaCheck.assertValidPluginFile(bad), bad);
        }
    }
}
