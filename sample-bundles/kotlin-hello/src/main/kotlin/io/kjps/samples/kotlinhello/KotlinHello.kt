package io.kjps.samples.kotlinhello

import io.kjps.pdk.Kong
import io.kjps.plugin.KongPhaseHandler
import io.kjps.plugin.KongPlugin
import io.kjps.plugin.config.Default
import org.osgi.service.component.annotations.Component

/**
 * A plugin in Kotlin: greets the names of the `x-name` header (comma-separated) in the access phase and logs whom it
 * greeted in the log phase.
 */
// snippet:kotlin
@Component(service = [KongPhaseHandler::class])
@KongPlugin(name = "kotlin-hello", version = "0.1.0", priority = 2)
class KotlinHello : KongPhaseHandler<KotlinHello.Config> {

    /** The config: a JVM record, so that the server and the processor read it as they read a Java record. */
    @JvmRecord
    data class Config(@Default("Hello") val greeting: String)

    override fun access(kong: Kong, config: Config) {
        val names = kong.request().getHeader("x-name")
            ?.split(",")?.map { it.trim() }?.filter { it.isNotEmpty() }
            .orEmpty()
            .ifEmpty { listOf("world") }
        kong.response().setHeader("x-kotlin-hello", "${config.greeting}, ${names.joinToString(" and ")}")
        kong.ctx().shared().set("kotlin_hello_greeted", names.size.toLong())
    }

    override fun log(kong: Kong, config: Config) {
        kong.log().info("kotlin-hello greeted ${kong.ctx().shared().get("kotlin_hello_greeted")}")
    }
}
// end:kotlin
