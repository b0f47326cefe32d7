package io.kjps.rpc.codec;

/**
 * A PDK call the plugin asks Kong to run: {@code {"Method": method, "Args": [args...]}}.
 *
 * @param method the dotted PDK function name
 * @param args its positional arguments (never with a nil in the middle: Lua would truncate them)
 * @param terminal whether Kong never answers it ({@code kong.response.exit} and {@code kong.response.error})
 */
public record PdkCall(String method, Object[] args, boolean terminal) {
}
