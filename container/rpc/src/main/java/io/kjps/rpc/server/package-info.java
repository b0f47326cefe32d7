/**
 * One Kong connection as a pair of streams: reads requests in a loop until EOF and answers each in order. The
 * transport (which unix-socket implementation, which thread) is the caller's business.
 */
package io.kjps.rpc.server;
