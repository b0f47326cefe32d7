package io.kjps.plugin.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Kong attribute {@code default}: Kong stores this value when the config leaves the field out, and the server
 * decodes a missing field to it as well.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Default {
    /**
     * The default: the literal text for a {@code string} field, JSON for every other type ({@code "7"},
     * {@code "true"}, {@code "[]"}, {@code "{\"a\": 1}"}).
     *
     * @return the default value
     */
    String value();
}
