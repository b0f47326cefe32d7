package ${package};

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import io.kjps.plugin.config.Default;
import org.osgi.service.component.annotations.Component;

/**
 * The ${pluginName} plugin: greets the client in a response header.
 */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "${pluginName}", version = "0.1.0", priority = 1000)
public class Handler implements KongPhaseHandler<Handler.Config> {

    /**
     * The plugin's config, as Kong stores it (the processor writes its Kong schema).
     *
     * @param greeting the greeting; Kong stores "Hello" when the config leaves it out
     */
    public record Config(@Default("Hello") String greeting) {
    }

    @Override
    public void access(Kong kong, Config config) {
        String name = kong.request().getHeader("x-name");
        kong.response().setHeader("x-greeting", config.greeting() + ", " + (name == null ? "world" : name));
    }
}
