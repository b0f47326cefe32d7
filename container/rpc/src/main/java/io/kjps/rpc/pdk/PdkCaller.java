package io.kjps.rpc.pdk;

/** Sends a PDK call to Kong and waits for its result; implemented by an event. */
public interface PdkCaller {

    /**
     * @param method the dotted PDK function
     * @param args its arguments
     * @return Kong's result, decoded ({@code null} when Kong sent no Data)
     * @throws io.kjps.pdk.PdkException when Kong reports an error or the event is finished
     */
    Object call(String method, Object... args);

    /**
     * Sends a call Kong never answers ({@code kong.response.exit}, {@code kong.response.error}); the event ends.
     *
     * @param method the dotted PDK function
     * @param args its arguments
     * @throws io.kjps.pdk.PdkException when the event is already finished
     */
    void callTerminal(String method, Object... args);
}
