package io.kjps.emulator;

/**
 * The server broke the MsgPack:1 contract in a way that makes Kong's Lua code fail: a response that is not
 * {@code [1, msgid, error, result]}, a msgid that does not echo the request, an error that is not a string, step data
 * that is neither {@code "ret"} nor {@code {Method, Args}}, bytes after the response, or bytes that are not
 * MessagePack. The connection involved is closed.
 */
public final class KongProtocolException extends KongException {
    private static final long serialVersionUID = 1L;

    /** @param message what the server did wrong */
    public KongProtocolException(String message) {
        super(message);
    }
}
