package io.kjps.bench.plugins;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** Scenario {@code exit}: one terminal call, {@code kong.response.exit(403, "denied", {x-why = "bench"})}. */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "bench-exit", version = "0.1.0", priority = 1000)
public class BenchExit implements KongPhaseHandler<Void> {
    private static final Map<String, String> HEADERS = Map.of("x-why", "bench");

    @Override
    public void access(Kong kong, Void config) {
        kong.response().exit(403, "denied", HEADERS);
    }
}
