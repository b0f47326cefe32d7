/**
 * The seam between the server and a unix-socket implementation: bind, accept, streams. junixsocket is the
 * implementation in use; the JDK's own {@code UnixDomainSocketAddress} channels could replace it by implementing
 * these three small types.
 */
package io.kjps.socket.internal.transport;
