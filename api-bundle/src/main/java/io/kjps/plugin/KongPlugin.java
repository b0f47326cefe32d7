package io.kjps.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares a plugin's identity to Kong, once, on the {@link KongPhaseHandler} component class.
 *
 * <p>This is a DS component property type: bnd turns it into the service properties {@code kong.plugin.name},
 * {@code kong.plugin.version} and {@code kong.plugin.priority}, and the annotation processor writes the same values,
 * with the phases and the config schema, into the bundle jar for {@code -dump}.
 *
 * <p>Kong's rules, checked at build time: the name is what {@code plugins=} in kong.conf lists and must not clash
 * with a bundled Lua plugin; the version is one to three numbers joined by dots, without leading zeros
 * ({@code 1.2.3}, {@code 0.1}), the form Kong keeps as written; a higher priority runs earlier.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface KongPlugin {

    /** Prefix of the service properties generated from this annotation. */
    String PREFIX_ = "kong.plugin.";

    /**
     * The plugin name, as listed in kong.conf {@code plugins=}.
     *
     * @return the name
     */
    String name();

    /**
     * The plugin version: one to three numbers joined by dots, like {@code 1.2.3} or {@code 0.1}.
     *
     * @return the version
     */
    String version();

    /**
     * Kong's handler priority; plugins with a higher priority run earlier.
     *
     * @return the priority
     */
    int priority();
}
