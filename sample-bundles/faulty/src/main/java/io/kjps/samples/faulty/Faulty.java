package io.kjps.samples.faulty;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import org.osgi.service.component.annotations.Component;

/** The {@code faulty} test plugin: the faults of {@link Faults} under the server's default failure policy. */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "faulty", version = "0.1.0", priority = 10)
public class Faulty implements KongPhaseHandler<FaultyConfig> {

    @Override
    public void access(Kong kong, FaultyConfig config) throws Exception {
        Faults.access(kong, config);
    }
}
