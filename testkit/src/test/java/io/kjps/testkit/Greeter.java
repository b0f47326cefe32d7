package io.kjps.testkit;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import io.kjps.plugin.config.Default;

/** A small plugin for the test kit's own tests: greets, blocks {@code x-block}, logs and shares. */
@KongPlugin(name = "testkit-greeter", version = "1.0.0", priority = 10)
public class Greeter implements KongPhaseHandler<Greeter.Config> {

    /**
     * Config.
     *
     * @param greeting the greeting
     */
    public record Config(@Default("hello") String greeting) {
    }

    @Override
    public void access(Kong kong, Config config) {
        if (kong.request().getHeader("x-block") != null) {
            kong.response().exit(403, java.util.Map.of("message", "blocked"), java.util.Map.of("x-why", "test"));
            return;
        }
        kong.service().request().setHeader("x-greeting", config.greeting() + " " + kong.request().getPath());
        kong.ctx().shared().set("greeted", true);
        kong.log().info("greeted");
    }

    @Override
    public void response(Kong kong, Config config) {
        kong.response().setHeader("x-upstream-status", String.valueOf(kong.service().response().getStatus()));
    }

    @Override
    public void log(Kong kong, Config config) {
        kong.log().notice("done ", kong.ctx().shared().get("greeted"));
    }
}
