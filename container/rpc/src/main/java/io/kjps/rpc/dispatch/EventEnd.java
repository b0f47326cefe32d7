package io.kjps.rpc.dispatch;

import java.util.Locale;

/**
 * How an event ended, as the metrics count it ({@link EventRecorder}). Exactly one per {@code plugin.HandleEvent}
 * that named a phase the plugin handles.
 */
public enum EventEnd {
    /** The phase method returned; Kong got {@code "ret"}. */
    RET,
    /** A terminal PDK call ({@code kong.response.exit}, {@code kong.response.error}) ended it. */
    EXIT,
    /** The phase method threw; Kong got the plugin's failure policy. */
    ERROR,
    /** The event never ran or was ended by the server: no handler thread, plugin gone, server stopping. */
    FAILED,
    /** Kong sent no result for a PDK call within the abandon timeout. */
    ABANDONED,
    /** The phase method neither returned nor called the PDK within the handler timeout. */
    TIMEOUT;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** @return the label value, for example {@code ret} */
    public String label() {
        return label;
    }
}
