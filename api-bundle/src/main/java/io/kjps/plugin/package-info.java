/**
 * The plugin contract: a plugin is an OSGi bundle whose DS component implements {@link io.kjps.plugin.KongPhaseHandler}
 * and carries {@link io.kjps.plugin.KongPlugin} (name, version, priority).
 *
 * <p>A hello world:
 * <pre>{@code
 * @Component(service = KongPhaseHandler.class)
 * @KongPlugin(name = "hello-java", version = "0.1.0", priority = 10)
 * public class Hello implements KongPhaseHandler<Hello.Config> {
 *     public record Config(@Default("hi") String greeting) {}
 *
 *     @Override
 *     public void access(Kong kong, Config config) {
 *         kong.response().setHeader("x-hello", config.greeting() + " " + kong.request().getHeader("x-name"));
 *     }
 * }
 * }</pre>
 *
 * <p>The annotation processor {@code kong-java-pluginserver-processor} turns this into the metadata Kong asks for
 * (name, version, priority, phases and the config schema) at build time and stores it in the bundle jar, so the
 * server's {@code -dump} never runs plugin code.
 */
@Export
@Version("1.0.0")
package io.kjps.plugin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
