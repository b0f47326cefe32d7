package io.kjps.guide;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Component;

/** The guide's threads example: state shared by every event, kept thread-safe. */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "counter", version = "1.0.0", priority = 700)
public class Counter implements KongPhaseHandler<Void> {

    // snippet:threads
    // one handler object serves every instance and every event, many at once
    private final ConcurrentHashMap<String, LongAdder> hits = new ConcurrentHashMap<>();

    @Override
    public void access(Kong kong, Void config) {
        String consumer = kong.request().getHeader("x-consumer"); // PDK calls: on this thread, during this call
        LongAdder n = hits.computeIfAbsent(consumer == null ? "anonymous" : consumer, k -> new LongAdder());
        n.increment();
        kong.response().setHeader("x-hits", Long.toString(n.sum()));
    }
    // end:threads
}
