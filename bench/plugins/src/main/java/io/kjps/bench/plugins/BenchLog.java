package io.kjps.bench.plugins;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import org.osgi.service.component.annotations.Component;

/** Scenario {@code log}: the log phase reads {@code kong.log.serialize()}, a JSON string of about 20 KB. */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "bench-log", version = "0.1.0", priority = 1000)
public class BenchLog implements KongPhaseHandler<Void> {

    @Override
    public void log(Kong kong, Void config) {
        String entry = kong.log().serialize();
        if (entry == null || entry.isEmpty()) {
            throw new IllegalStateException("kong.log.serialize returned nothing");
        }
    }
}
