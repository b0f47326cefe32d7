package io.kjps.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        // Locale.ROOT: no Turkish dotless i, whatever the default locale
        "IDList, idlist",
        "userId, user_id",
    })
    void lowerCasesIndependentlyOfTheDefaultLocale(String javaName, String kongName) {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
            assertEquals(kongName, FieldNames.toKong(javaName));
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @org.junit.jupiter.api.Test
    void supplementaryLettersAreClassifiedByCodePoint() {
        // U+10400 DESERET CAPITAL LETTER LONG I (a surrogate pair, legal in Java identifiers), lower case U+10428
        assertEquals("a_\uD801\uDC28b", FieldNames.toKong("a\uD801\uDC00b"));
        assertEquals("\uD801\uDC28b", FieldNames.toKong("\uD801\uDC00b"));
        assertEquals("\uD801\uDC28_b", FieldNames.toKong("\uD801\uDC28B"), "a supplementary lower-case letter");
    }
}
