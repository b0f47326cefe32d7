package io.kjps.rpc.dispatch;

/**
 * Where the answer to one request goes: the connection it came on. A {@code plugin.HandleEvent} or
 * {@code plugin.Step*} is answered by the event's own thread as soon as the phase method makes its next PDK call or
 * returns, written straight to the connection, so no connection thread waits for it.
 */
public interface Reply {

    /**
     * Sends the answer. Called at most once, on any thread.
     *
     * @param result the result, or {@code null} with an error
     * @param error the error text, or {@code null}
     */
    void send(Object result, String error);
}
