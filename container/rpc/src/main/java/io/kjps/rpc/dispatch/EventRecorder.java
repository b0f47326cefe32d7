package io.kjps.rpc.dispatch;

import java.util.Map;

/**
 * Where the dispatcher reports what it does, for metrics: the seam between the hot path and whatever records it
 * (the socket bundle implements it with the Prometheus client; {@link #NONE} records nothing).
 *
 * <p>Rules for implementations: {@link #plugin} is asked once per event (cache the answer: no allocation on a
 * repeated name); the methods of {@link PluginRecorder} run on the event's thread, on the hot path, and must neither
 * block nor allocate once warmed up.
 */
public interface EventRecorder {

    /** Records nothing. */
    EventRecorder NONE = pluginName -> PluginRecorder.NONE;

    /**
     * @param pluginName a plugin's name
     * @return the recorder of that plugin's events
     */
    PluginRecorder plugin(String pluginName);

    /**
     * Kong started an instance.
     *
     * @param pluginName its plugin
     */
    default void instanceStarted(String pluginName) {
    }

    /**
     * An instance went away.
     *
     * @param pluginName its plugin
     * @param expired {@code true} when it was dropped for being idle, {@code false} when Kong closed it
     */
    default void instanceClosed(String pluginName, boolean expired) {
    }

    /** @return figures added to {@code plugin.GetStatus} under {@code Metrics} (empty by default) */
    default Map<String, Object> status() {
        return Map.of();
    }

    /** What happens to one plugin's events; called on the event's thread. */
    interface PluginRecorder {

        /** Records nothing. */
        PluginRecorder NONE = new PluginRecorder() {
            @Override
            public void eventEnded(io.kjps.rpc.plugin.Phase phase, EventEnd outcome, long durationNanos) {
            }

            @Override
            public void pdkCall(String method, long roundTripNanos) {
            }
        };

        /**
         * An event ended: Kong has (or is about to have) its answer.
         *
         * @param phase the phase
         * @param outcome how it ended
         * @param durationNanos from the {@code plugin.HandleEvent} to the answer that ended it
         */
        void eventEnded(io.kjps.rpc.plugin.Phase phase, EventEnd outcome, long durationNanos);

        /**
         * A PDK call was answered by Kong.
         *
         * @param method the PDK method, for example {@code kong.request.get_header}
         * @param roundTripNanos from sending the call to Kong's {@code plugin.Step*} with its result
         */
        void pdkCall(String method, long roundTripNanos);
    }
}
