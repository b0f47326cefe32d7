package io.kjps.plugin.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The field's name in Kong's schema, when the snake_case form of the Java name is not what you want.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Name {
    /**
     * The field name in Kong's schema and config JSON.
     *
     * @return the name
     */
    String value();
}
