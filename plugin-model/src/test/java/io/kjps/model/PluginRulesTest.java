package io.kjps.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PluginRulesTest {

    /** What Kong 3.x's valid_version (version rock, lenient parser) returns; NULL: Kong refuses to load. */
    @ParameterizedTest(name = "Kong turns \"{0}\" into {1}")
    @CsvSource(nullValues = "NULL", value = {
        "1,               1",
        "0.1,             0.1",
        "1.0,             1.0",
        "1.0.0,           1.0.0",
        "1.2.3,           1.2.3",
        "1.0.0.0,         NULL",
        "1.2.3.4-beta,    NULL",
        "1.0.0-beta,      1.0.0",
        "1.0.0-beta.1,    1.0.0",
        "v1,              1",
        "v1.2,            1.2",
        "' 1.0',          1.0",
        "'1.0 ',          1.0",
        "1.,              1",
        "1.2.3.,          1.2.3",
        "1..2,            NULL",
        "1.2.3..,         NULL",
        ".1,              1",
        "01.2,            1.2",
        "1.007,           1.7",
        "'',              NULL",
        "v,               NULL",
        "beta,            NULL",
        "99999999999999,  99999999999999",
        "123456789012346, 1.2345678901235e+14",
        "99999999999999999, 1e+17",
    })
    void kongVersion(String declared, String kong) {
        assertEquals(kong, PluginRules.kongVersion(declared));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "0.1", "1.0", "1.0.0", "10.20.30", "0.0.0", "99999999999999.0.1"})
    void versionsKongKeepsAreAccepted(String version) {
        assertNull(PluginRules.versionProblem(version));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v", "1.0.0.0", "1..2", "v1", "1.0.0-beta", " 1.0", "1.0 ", "1.", "01", "1.00",
            "123456789012345", "1.0.0.", ".1"})
    void versionsKongRefusesOrRewritesAreRefused(String version) {
        assertNotNull(PluginRules.versionProblem(version));
    }

    @Test
    void versionReasonSaysWhatKongDoes() {
        assertTrue(PluginRules.versionProblem("1.0.0.0").contains("Kong refuses to load it"));
        assertTrue(PluginRules.versionProblem("v1").contains("Kong would load it as \"1\""));
        assertNotNull(PluginRules.versionProblem(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "hello", "api-key", "my_plugin", "9lives", "a-", "a_"})
    void goodNames(String name) {
        assertNull(PluginRules.nameProblem(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "_a", "Hello", "a b", "a.b", "a/b", "ä"})
    void badNames(String name) {
        assertNotNull(PluginRules.nameProblem(name));
    }

    @Test
    void phasesInKongOrder() {
        assertEquals(java.util.List.of("certificate", "rewrite", "access", "response", "preread", "log"),
                PluginRules.PHASES);
        for (String p : PluginRules.PHASES) {
            assertNull(PluginRules.phaseProblem(p));
        }
        assertNotNull(PluginRules.phaseProblem("header_filter"));
        assertNotNull(PluginRules.phaseProblem("Access"));
        assertNotNull(PluginRules.phaseProblem(null));
    }

    @Test
    void descriptorPath() {
        assertEquals("META-INF/kong-java-pluginserver/plugins/hello.json", PluginRules.descriptorPath("hello"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "-1", "1000", "2147483647", "-2147483648", "5.0", "1e3", "-0"})
    void wholePrioritiesInIntRangeAreAccepted(String priority) {
        assertNull(PluginRules.priorityProblem(new java.math.BigDecimal(priority)), priority);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "-0.5", "0.0000001", "1000.01"})
    void fractionalPrioritiesAreRefusedAsKongDoes(String priority) {
        assertEquals("is not a priority Kong accepts: Kong loads a plugin only when its PRIORITY is a whole number",
                PluginRules.priorityProblem(new java.math.BigDecimal(priority)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2147483648", "-2147483649", "1e10"})
    void prioritiesOutsideTheAnnotationsIntAreRefused(String priority) {
        assertTrue(PluginRules.priorityProblem(new java.math.BigDecimal(priority))
                .startsWith("is not a priority of @KongPlugin: a priority is an int"));
    }

    @Test
    void noPriorityIsRefused() {
        assertNotNull(PluginRules.priorityProblem(null));
    }
}
