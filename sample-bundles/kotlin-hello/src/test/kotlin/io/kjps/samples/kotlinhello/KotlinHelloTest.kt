package io.kjps.samples.kotlinhello

import io.kjps.emulator.FakeRequest
import io.kjps.processor.KongMetaschemaCheck
import io.kjps.testkit.PluginTester
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Test

/** The Kotlin plugin in the test kit, tested in Kotlin. */
class KotlinHelloTest {

    @Test
    fun greetsEveryNameOfTheHeader() {
        val r = PluginTester.of(KotlinHello()).config(KotlinHello.Config("Hi"))
            .request { it.header("x-name", "Ada, Grace") }
            .run()
        assertFalse(r.exited())
        assertEquals(listOf("access", "log"), r.outcomes().keys.toList())
        assertEquals(200, r.response().status())
        assertEquals("Hi, Ada and Grace", r.response().header("x-kotlin-hello"))
        assertEquals(listOf(FakeRequest.LogLine("info", "kotlin-hello greeted 2")), r.logs())
    }

    @Test
    fun theDefaultGreetingAndNoName() {
        val r = PluginTester.of(KotlinHello()).configJson("{}").run()
        assertEquals("Hello, world", r.response().header("x-kotlin-hello"))
    }

    @Test
    fun schemaIsValidForKong() {
        val json = KotlinHello::class.java.getResourceAsStream("/META-INF/kong-java-pluginserver/plugins/kotlin-hello.json")!!
            .use { String(it.readAllBytes(), Charsets.UTF_8) }
        KongMetaschemaCheck.assertValidPluginFile(json)
        assertEquals(true, json.contains("\"default\":\"Hello\""), json)
    }
}
