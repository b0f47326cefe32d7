/**
 * The javac annotation processor for kong-java-pluginserver plugins ({@link io.kjps.processor.KongPluginProcessor})
 * and the field-naming rule it shares with the server's config decoder ({@link io.kjps.processor.FieldNames}).
 */
package io.kjps.processor;
