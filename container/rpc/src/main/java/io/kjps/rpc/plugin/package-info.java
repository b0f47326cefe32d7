/**
 * What the server knows about a plugin without running it: the descriptor the annotation processor writes into
 * each bundle jar, and Kong's phases.
 */
package io.kjps.rpc.plugin;
