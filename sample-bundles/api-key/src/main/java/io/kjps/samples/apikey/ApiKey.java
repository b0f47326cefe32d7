package io.kjps.samples.apikey;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import io.kjps.plugin.config.Default;
import io.kjps.plugin.config.Description;
import io.kjps.plugin.config.Required;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * Sample: an API-key check. Reads the header named in the config, compares it with the configured keys, records
 * the matching key's index in {@code kong.ctx.shared} ({@code api_key_index}) for later plugins, and ends the
 * request with 401 and a JSON body when the key is missing or unknown.
 */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "api-key", version = "0.1.0", priority = 1250)
public class ApiKey implements KongPhaseHandler<ApiKey.Config> {

    /**
     * The plugin's config.
     *
     * @param headerName the request header carrying the key
     * @param keys the accepted keys
     * @param hideCredentials whether to remove the header before proxying
     */
    public record Config(@Default("x-api-key") @Description("the request header carrying the key") String headerName,
                         @Required List<String> keys,
                         @Default("true") Boolean hideCredentials) {
    }

    @Override
    public void access(Kong kong, Config config) {
        String key = kong.request().getHeader(config.headerName());
        int index = key == null ? -1 : config.keys().indexOf(key);
        if (index < 0) {
            kong.response().exit(401, Map.of("message", key == null ? "No API key found in request"
                    : "Invalid authentication credentials"), Map.of("WWW-Authenticate", "Key realm=\"kong\""));
            return;
        }
        kong.ctx().shared().set("api_key_index", index);
        if (Boolean.TRUE.equals(config.hideCredentials())) {
            kong.service().request().clearHeader(config.headerName());
        }
    }
}
