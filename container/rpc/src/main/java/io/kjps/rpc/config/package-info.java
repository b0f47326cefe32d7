/**
 * Decoding the {@code Config} JSON that Kong sends on {@code plugin.StartInstance} into the plugin's config type,
 * following the same field names and defaults as the schema the annotation processor generated.
 */
package io.kjps.rpc.config;
