package io.kjps.rpc.dispatch;

/**
 * Timing and failure policy of the dispatcher.
 *
 * @param pluginWaitMillis how long a call for a plugin that is not served waits for it (a bundle update leaves a
 *                         gap of tens of milliseconds; at start-up bundles arrive after the socket opens)
 * @param handlerTimeoutMillis how long a connection waits for a phase method's next PDK call or its return before
 *                             the event fails; well under Kong's 60 s socket read timeout
 * @param abandonTimeoutMillis how long a phase method waits for Kong's answer to a PDK call before the event is
 *                             considered abandoned (Kong drops events silently when a PDK call raises in Lua)
 * @param failClosed whether a failing phase method (exception or timeout) ends the request with
 *                   {@code kong.response.error(500)}; otherwise the event ends with "ret" and the request goes on
 */
public record DispatcherSettings(long pluginWaitMillis, long handlerTimeoutMillis, long abandonTimeoutMillis,
                                 boolean failClosed) {

    /** The defaults: 5 s plugin wait, 30 s handler timeout, 65 s abandon timeout, fail closed. */
    public static final DispatcherSettings DEFAULT = new DispatcherSettings(5_000, 30_000, 65_000, true);
}
