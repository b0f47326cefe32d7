package io.kjps.bench.plugins;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** Scenario {@code headers}: ten PDK calls an event, each answered with a multimap (plugin.StepMultiMap). */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "bench-headers", version = "0.1.0", priority = 1000)
public class BenchHeaders implements KongPhaseHandler<Void> {

    @Override
    public void access(Kong kong, Void config) {
        int n = 0;
        for (int i = 0; i < 10; i++) {
            Map<String, List<String>> headers = kong.request().getHeaders();
            n += headers.size();
        }
        if (n < 0) {
            throw new IllegalStateException("unreachable");
        }
    }
}
