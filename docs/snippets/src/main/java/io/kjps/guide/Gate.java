package io.kjps.guide;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import io.kjps.plugin.config.Default;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** The guide's errors example: exit, error, and an exception. */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "gate", version = "1.0.0", priority = 1200)
public class Gate implements KongPhaseHandler<Gate.Config> {
    public record Config(@Default("[]") List<String> keys) {}

    // snippet:exit
    @Override
    public void access(Kong kong, Config config) {
        String key = kong.request().getHeader("x-api-key");
        if (key == null) {
            kong.response().exit(401, Map.of("message", "an x-api-key header is required"),
                    Map.of("WWW-Authenticate", "Key"));
            return; // the request has ended: any PDK call after exit throws PdkException
        }
        if (!config.keys().contains(key)) {
            kong.response().error(403); // Kong's own error body for 403, in the format the client accepts
            return;
        }
        if (key.isBlank()) {
            // an exception is logged with its stack trace and fails the request closed: Kong answers 500
            throw new IllegalStateException("a blank key passed the check");
        }
        kong.service().request().clearHeader("x-api-key");
    }
    // end:exit
}
