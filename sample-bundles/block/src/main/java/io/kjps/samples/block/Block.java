package io.kjps.samples.block;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code block} plugin of the recorded conversations: a request carrying {@code x-block} ends with 403
 * {@code denied} and {@code x-why: test}. {@code exit} is terminal: Kong never answers it, so the method returns
 * right after.
 */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "block", version = "0.1.0", priority = 2000)
public class Block implements KongPhaseHandler<Void> {

    @Override
    public void access(Kong kong, Void config) {
        if (kong.request().getHeader("x-block") != null) {
            kong.response().exit(403, "denied", Map.of("x-why", "test"));
        }
    }
}
