package io.kjps.rpc.codec;

/**
 * One request from Kong: {@code [0, msgid, method, [param]]}. Kong always sends exactly one param.
 *
 * @param msgid the id to echo; not unique across connections
 * @param method for example {@code plugin.HandleEvent}
 * @param param the single parameter: a map, or an integer for {@code plugin.CloseInstance}
 */
public record RpcRequest(long msgid, String method, Object param) {
}
