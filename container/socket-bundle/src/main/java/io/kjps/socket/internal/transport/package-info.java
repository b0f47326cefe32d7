/**
 * The seam between the server and the unix socket: accept, a channel per connection, the peer's credentials
 * (binding is {@code io.kjps.listener}'s). The JDK's own unix-domain channels implement it ({@link io.kjps.socket.internal.transport.JdkUnixSockets}).
 */
package io.kjps.socket.internal.transport;
