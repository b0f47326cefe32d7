package io.kjps.samples.hello;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import io.kjps.plugin.config.Default;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code hello} plugin of the recorded conversations ({@code kong-recordings/conversations}), call for
 * call, so the recordings replay against it: reads {@code x-name}, answers with {@code x-hello} and the configured
 * greeting. A missing header is rendered as {@code undefined}, as the recorded JavaScript plugin does.
 */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "hello", version = "0.1.0", priority = 1000)
public class Hello implements KongPhaseHandler<Hello.Config> {

    /**
     * The plugin's config.
     *
     * @param greeting echoed in {@code x-hello-greeting}
     */
    public record Config(@Default("hi") String greeting) {
    }

    @Override
    public void access(Kong kong, Config config) {
        String name = kong.request().getHeader("x-name");
        kong.response().setHeader("x-hello", "hello " + (name == null ? "undefined" : name));
        kong.response().setHeader("x-hello-greeting", String.valueOf(config.greeting()));
    }
}
