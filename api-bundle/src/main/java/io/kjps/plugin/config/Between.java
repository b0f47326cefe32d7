package io.kjps.plugin.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Kong attribute {@code between}: an inclusive numeric range (integer and number fields).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Between {
    /**
     * The lower bound, inclusive.
     *
     * @return the lower bound
     */
    double min();

    /**
     * The upper bound, inclusive.
     *
     * @return the upper bound
     */
    double max();
}
