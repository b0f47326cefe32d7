/**
 * The socket bundle's internals: the DS component that tracks {@code KongPhaseHandler} services and serves Kong's
 * protocol on the unix socket. Nothing here is exported.
 */
package io.kjps.socket.internal;
