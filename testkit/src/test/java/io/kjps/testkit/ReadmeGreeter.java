package io.kjps.testkit;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import io.kjps.plugin.config.Default;

/** The README's {@code Greeter}, for {@link ReadmeExampleTest}. */
@KongPlugin(name = "readme-greeter", version = "1.0.0", priority = 900)
public class ReadmeGreeter implements KongPhaseHandler<ReadmeGreeter.Config> {

    /**
     * Config.
     *
     * @param greeting the greeting
     */
    public record Config(@Default("hello") String greeting) {
    }

    @Override
    public void access(Kong kong, Config config) {
        String name = kong.request().getHeader("x-name");
        kong.response().setHeader("x-greeting", config.greeting() + " " + name);
    }
}
