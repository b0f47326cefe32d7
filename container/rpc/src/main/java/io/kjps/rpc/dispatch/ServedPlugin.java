package io.kjps.rpc.dispatch;

import io.kjps.plugin.KongPhaseHandler;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.rpc.plugin.Phase;
import io.kjps.model.PluginDescriptor;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One revision of a plugin being served: its descriptor, the handler service object and how its config decodes.
 * A bundle update replaces the revision; events already running keep the one they started on.
 */
public final class ServedPlugin {
    private static final AtomicLong GENERATIONS = new AtomicLong();

    private final PluginDescriptor descriptor;
    private final KongPhaseHandler<Object> handler;
    private final ConfigDecoder configDecoder;
    private final String origin;
    private final long generation = GENERATIONS.incrementAndGet();
    private final Set<Phase> phases;
    private final LongAdder events = new LongAdder();
    private final long loadTimeMillis = System.currentTimeMillis();

    /**
     * @param descriptor the metadata from the bundle jar
     * @param handler the registered handler service
     * @param configDecoder decodes Kong's config JSON for this revision
     * @param origin where it comes from, for logs (for example {@code bundle 12 java-hello 0.1.0})
     */
    @SuppressWarnings("unchecked")
    public ServedPlugin(PluginDescriptor descriptor, KongPhaseHandler<?> handler, ConfigDecoder configDecoder,
                        String origin) {
        this.descriptor = descriptor;
        this.handler = (KongPhaseHandler<Object>) handler;
        this.configDecoder = configDecoder;
        this.origin = origin;
        this.phases = EnumSet.noneOf(Phase.class);
        descriptor.phases().forEach(phase -> phases.add(Phase.fromKong(phase)));
    }

    /** @return the plugin name */
    public String name() {
        return descriptor.name();
    }

    /** @return the descriptor */
    public PluginDescriptor descriptor() {
        return descriptor;
    }

    /** @return the handler */
    public KongPhaseHandler<Object> handler() {
        return handler;
    }

    /** @return the config decoder */
    public ConfigDecoder configDecoder() {
        return configDecoder;
    }

    /** @return where this revision comes from */
    public String origin() {
        return origin;
    }

    /** @return a number unique to this revision, increasing with every registration */
    public long generation() {
        return generation;
    }

    /**
     * @param phase a phase
     * @return whether this revision handles it
     */
    public boolean handles(Phase phase) {
        return phases.contains(phase);
    }

    /** @return when this revision was made (its handler registered), epoch milliseconds */
    public long loadTimeMillis() {
        return loadTimeMillis;
    }

    /** @return how many events this revision has started */
    public long eventsHandled() {
        return events.sum();
    }

    void countEvent() {
        events.increment();
    }

    @Override
    public String toString() {
        return name() + " " + descriptor.version() + " (" + origin + ")";
    }
}
