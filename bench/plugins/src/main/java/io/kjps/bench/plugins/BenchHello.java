package io.kjps.bench.plugins;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import io.kjps.plugin.config.Default;
import org.osgi.service.component.annotations.Component;

/** Scenarios {@code hello} and {@code churn}: two PDK calls an event (one read, one write). */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "bench-hello", version = "0.1.0", priority = 1000)
public class BenchHello implements KongPhaseHandler<BenchHello.Config> {

    /**
     * The plugin's config.
     *
     * @param greeting prefix of {@code x-hello}
     */
    public record Config(@Default("hello") String greeting) {
    }

    @Override
    public void access(Kong kong, Config config) {
        String name = kong.request().getHeader("x-name");
        kong.response().setHeader("x-hello", config.greeting() + " " + name);
    }
}
