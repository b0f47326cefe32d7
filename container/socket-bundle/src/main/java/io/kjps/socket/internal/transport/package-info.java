/**
 * The seam between the server and a unix-socket implementation: bind, accept, a channel per connection, the peer's
 * credentials. The JDK's own unix-domain channels implement it ({@link io.kjps.socket.internal.transport.JdkUnixSockets}).
 */
package io.kjps.socket.internal.transport;
