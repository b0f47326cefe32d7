package io.kjps.guide;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import io.kjps.plugin.config.Default;
import org.osgi.service.component.annotations.Component;

/** The guide's ten-line plugin. */
// snippet:ten-lines
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "greeter", version = "1.0.0", priority = 900)
public class Greeter implements KongPhaseHandler<Greeter.Config> {
    public record Config(@Default("Hello") String greeting) {}

    @Override
    public void access(Kong kong, Config config) {
        kong.response().setHeader("x-greeting", config.greeting() + ", " + kong.request().getHeader("x-name"));
    }
}
// end:ten-lines
