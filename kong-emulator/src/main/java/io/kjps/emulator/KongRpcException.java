package io.kjps.emulator;

import java.util.Locale;

/**
 * The server answered a call with a non-nil {@code error} string ({@code [1, msgid, error, result]}). Kong returns
 * {@code nil, error} from the call; for HandleEvent/Step this ends the event, and an error containing
 * {@code "no plugin instance"} (any case) makes Kong reset its cached instances and retry the event.
 */
public final class KongRpcException extends KongException {
    private static final long serialVersionUID = 1L;

    /** The failed call's RPC method. */
    private final String method;
    /** The failed call's msgid. */
    private final long msgid;
    /** The server's error string. */
    private final String error;

    /**
     * @param method the RPC method that failed, e.g. {@code plugin.HandleEvent}
     * @param msgid  the call's msgid
     * @param error  the server's error string
     */
    public KongRpcException(String method, long msgid, String error) {
        super(method + " (msgid " + msgid + ") failed: " + error);
        this.method = method;
        this.msgid = msgid;
        this.error = error;
    }

    /** @return the server's error string, exactly as sent */
    public String error() {
        return error;
    }

    /** @return the RPC method of the failed call */
    public String method() {
        return method;
    }

    /** @return the msgid of the failed call */
    public long msgid() {
        return msgid;
    }

    /** @return whether Kong would treat this as a lost instance ({@code err:lower()} contains "no plugin instance") */
    public boolean isNoPluginInstance() {
        return error.toLowerCase(Locale.ROOT).contains("no plugin instance");
    }
}
