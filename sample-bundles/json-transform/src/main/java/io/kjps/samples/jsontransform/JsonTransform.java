package io.kjps.samples.jsontransform;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import io.kjps.plugin.config.Default;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * Sample: transforms the upstream's JSON body in the response phase. Kong's {@code kong.response.set_raw_body} works
 * only in body_filter, which external plugins never see, so the plugin reads the buffered upstream body with
 * {@code kong.service.response.get_raw_body} and answers with {@code kong.response.exit(upstream status, new body,
 * headers)}, as Kong's own {@code enable-buffering} test plugin does. A body that is not a JSON object passes
 * unchanged.
 */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "json-transform", version = "0.1.0", priority = 700)
public class JsonTransform implements KongPhaseHandler<JsonTransform.Config> {

    /**
     * The plugin's config.
     *
     * @param removeFields top-level fields to remove
     * @param addField the name of a field added with the value of {@code addValue}, or empty for none
     * @param addValue its value
     */
    public record Config(@Default("[]") List<String> removeFields, @Default("") String addField,
                         @Default("") String addValue) {
    }

    @Override
    public void response(Kong kong, Config config) {
        byte[] raw = kong.service().response().getRawBody();
        if (raw == null) {
            return;
        }
        JsonObject body;
        try {
            JsonElement e = JsonParser.parseString(new String(raw, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                return;
            }
            body = e.getAsJsonObject();
        } catch (JsonParseException e) {
            return;
        }
        for (String f : config.removeFields()) {
            body.remove(f);
        }
        if (!config.addField().isEmpty()) {
            body.addProperty(config.addField(), config.addValue());
        }
        int status = kong.service().response().getStatus();
        kong.response().exit(status, body.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"));
    }
}
