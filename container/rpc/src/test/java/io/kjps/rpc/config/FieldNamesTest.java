package io.kjps.rpc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The same cases as the annotation processor's FieldNamesTest, plus a few: the two must agree. */
class FieldNamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "headerName, header_name",
        "maxRetries2, max_retries2",
        "url, url",
        "URLPath, urlpath",
        "x1Y, x1_y",
        "a, a",
        "A, a",
        "already_snake, already_snake",
        "my_Field, my_field",
        "httpURL, http_url",
        "getHTTPResponseCode, get_httpresponse_code",
        "v2Api, v2_api",
        "ABC, abc",
        "tls13Only, tls13_only",
        "aBC, a_bc",
        "ümlautName, ümlaut_name",
        "x$Y, x$y",
        "greeting, greeting",
        "retries2Max, retries2_max",
        "xHTTPHeader, x_httpheader",
        "ttlSeconds, ttl_seconds",
    })
    void convertsCamelCaseToSnakeCase(String javaName, String kongName) {
        assertEquals(kongName, FieldNames.toKong(javaName));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "IDList, idlist",
        "userId, user_id",
    })
    void lowerCasesIndependentlyOfTheDefaultLocale(String javaName, String kongName) {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertEquals(kongName, FieldNames.toKong(javaName));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void supplementaryLettersCountAsUpperCaseLikeTheProcessorDoes() {
        // U+10400 DESERET CAPITAL LETTER LONG I (a surrogate pair, legal in Java identifiers), lower case U+10428
        assertEquals("a_\uD801\uDC28b", FieldNames.toKong("a\uD801\uDC00b"));
        assertEquals("\uD801\uDC28b", FieldNames.toKong("\uD801\uDC00b"));
        assertEquals("\uD801\uDC28_b", FieldNames.toKong("\uD801\uDC28B"), "a supplementary lower-case letter");
    }
}
