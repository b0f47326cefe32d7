/**
 * The javac annotation processor for kong-java-pluginserver plugins ({@link io.kjps.processor.KongPluginProcessor}).
 * The rules it checks and the descriptor it writes are the plugin model's ({@code io.kjps.model}).
 */
package io.kjps.processor;
