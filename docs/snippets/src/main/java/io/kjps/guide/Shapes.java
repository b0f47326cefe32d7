package io.kjps.guide;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import io.kjps.plugin.config.Between;
import io.kjps.plugin.config.Default;
import io.kjps.plugin.config.Description;
import io.kjps.plugin.config.Encrypted;
import io.kjps.plugin.config.Gt;
import io.kjps.plugin.config.LenMax;
import io.kjps.plugin.config.LenMin;
import io.kjps.plugin.config.Match;
import io.kjps.plugin.config.Name;
import io.kjps.plugin.config.OneOf;
import io.kjps.plugin.config.Referenceable;
import io.kjps.plugin.config.Required;
import io.kjps.plugin.config.StartsWith;
import io.kjps.plugin.config.Uuid;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/** The guide's config record: every schema annotation and every type the processor maps. */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "shapes", version = "1.0.0", priority = 10)
public class Shapes implements KongPhaseHandler<Shapes.Config> {

    // snippet:config
    public enum HeaderMode { ADD, SET }

    public record Upstream(@Required @StartsWith("https://") String url,
                           @Default("3") @Between(min = 0, max = 10) int retries) {}

    public record Config(
            @Required @Description("who the request is for") String audience,
            @Default("SET") HeaderMode mode,
            @Name("x_header") @Default("x-shape") @LenMin(1) @LenMax(64) @Match("^[a-z-]+$") String header,
            @Default("0.5") @Gt(0) double ratio,
            @OneOf({"GET", "POST"}) String method,
            @Uuid String consumerId,
            @Encrypted @Referenceable String apiKey,
            @Default("[]") List<String> tags,
            Set<String> methods,
            Map<String, Integer> limits,
            Upstream upstream) {}
    // end:config

    @Override
    public void access(Kong kong, Config config) {
        kong.response().setHeader(config.header(), config.audience() + " " + config.mode() + " " + config.ratio());
    }
}
