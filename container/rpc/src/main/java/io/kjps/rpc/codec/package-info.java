/**
 * The msgpack-rpc codec for Kong's MsgPack:1 protocol: reads Kong's requests from a {@code MessageUnpacker} into
 * plain Java values under {@link io.kjps.rpc.codec.DecodeLimits}, and writes responses and notifications. It knows
 * nothing of sockets; tests feed it split and oversized input directly.
 */
package io.kjps.rpc.codec;
