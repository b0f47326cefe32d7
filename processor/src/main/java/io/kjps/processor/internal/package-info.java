/**
 * The processor's implementation: plugin checks, the mapping of config types to Kong's schema, and a small JSON
 * reader and writer. Not an API.
 */
package io.kjps.processor.internal;
