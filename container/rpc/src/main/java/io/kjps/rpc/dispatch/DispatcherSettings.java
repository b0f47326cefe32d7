package io.kjps.rpc.dispatch;

import java.util.function.Function;

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
 * @param failOpenByPlugin the operator's per-plugin override of {@code failClosed}: maps a plugin name to
 *                         {@code TRUE} (fail open), {@code FALSE} (fail closed) or {@code null} (use
 *                         {@code failClosed}); asked only when a phase method fails
 */
public record DispatcherSettings(long pluginWaitMillis, long handlerTimeoutMillis, long abandonTimeoutMillis,
                                 boolean failClosed, Function<String, Boolean> failOpenByPlugin) {

    // declared before DEFAULT, which uses it
    private static final Function<String, Boolean> NO_OVERRIDES = name -> null;

    /** The defaults: 5 s plugin wait, 30 s handler timeout, 65 s abandon timeout, fail closed. */
    public static final DispatcherSettings DEFAULT = new DispatcherSettings(5_000, 30_000, 65_000, true);

    /** A {@code null} {@code failOpenByPlugin} means no per-plugin override. */
    public DispatcherSettings {
        if (failOpenByPlugin == null) {
            failOpenByPlugin = NO_OVERRIDES;
        }
    }

    /**
     * Settings with one failure policy for every plugin.
     *
     * @param pluginWaitMillis see the record
     * @param handlerTimeoutMillis see the record
     * @param abandonTimeoutMillis see the record
     * @param failClosed see the record
     */
    public DispatcherSettings(long pluginWaitMillis, long handlerTimeoutMillis, long abandonTimeoutMillis,
                              boolean failClosed) {
        this(pluginWaitMillis, handlerTimeoutMillis, abandonTimeoutMillis, failClosed, null);
    }

    /**
     * The failure policy of one plugin: its override when the operator set one, else {@link #failClosed()}.
     *
     * @param pluginName the plugin
     * @return whether a failure of its phase methods ends the request with {@code kong.response.error(500)}
     */
    public boolean failClosedFor(String pluginName) {
        Boolean open;
        try {
            open = failOpenByPlugin.apply(pluginName);
        } catch (RuntimeException e) {
            open = null;
        }
        return open == null ? failClosed : !open;
    }
}
