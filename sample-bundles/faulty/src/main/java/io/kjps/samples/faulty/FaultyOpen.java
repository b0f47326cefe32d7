package io.kjps.samples.faulty;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code faulty-open} test plugin: the same faults as {@code faulty}; the tests configure it to fail open with
 * {@code kjps.fail.open.faulty-open=true}.
 */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "faulty-open", version = "0.1.0", priority = 11)
public class FaultyOpen implements KongPhaseHandler<FaultyConfig> {

    @Override
    public void access(Kong kong, FaultyConfig config) throws Exception {
        Faults.access(kong, config);
    }
}
