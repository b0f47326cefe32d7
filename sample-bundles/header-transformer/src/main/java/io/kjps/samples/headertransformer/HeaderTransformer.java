package io.kjps.samples.headertransformer;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import io.kjps.plugin.config.Default;
import io.kjps.plugin.config.OneOf;
import io.kjps.plugin.config.Required;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * Sample: a request/response header transformer with a rich config: a required field, defaults, a one_of, a nested
 * record and arrays. In access it changes the request sent upstream; in response, the response to the client.
 */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "header-transformer", version = "0.1.0", priority = 800)
public class HeaderTransformer implements KongPhaseHandler<HeaderTransformer.Config> {

    /**
     * One set of changes.
     *
     * @param remove header names to remove
     * @param add {@code name:value} pairs to add (or set, see {@link Config#mode()})
     */
    public record Changes(@Default("[]") List<String> remove, @Default("[]") List<String> add) {
    }

    /**
     * The plugin's config.
     *
     * @param tag a required marker, sent upstream in {@code x-transformed-by}
     * @param mode {@code add} keeps existing values, {@code set} replaces them
     * @param request the changes to the upstream request
     * @param response the changes to the client response
     */
    public record Config(@Required String tag,
                         @OneOf({"add", "set"}) @Default("set") String mode,
                         Changes request,
                         Changes response) {
    }

    @Override
    public void access(Kong kong, Config config) {
        var upstream = kong.service().request();
        upstream.setHeader("x-transformed-by", config.tag());
        if (config.request() == null) {
            return;
        }
        for (String name : config.request().remove()) {
            upstream.clearHeader(name);
        }
        for (String pair : config.request().add()) {
            String[] nv = pair.split(":", 2);
            if ("add".equals(config.mode())) {
                upstream.addHeader(nv[0], nv.length > 1 ? nv[1] : "");
            } else {
                upstream.setHeader(nv[0], nv.length > 1 ? nv[1] : "");
            }
        }
    }

    @Override
    public void response(Kong kong, Config config) {
        if (config.response() == null) {
            return;
        }
        for (String name : config.response().remove()) {
            kong.response().clearHeader(name);
        }
        for (String pair : config.response().add()) {
            String[] nv = pair.split(":", 2);
            if ("add".equals(config.mode())) {
                kong.response().addHeader(nv[0], nv.length > 1 ? nv[1] : "");
            } else {
                kong.response().setHeader(nv[0], nv.length > 1 ? nv[1] : "");
            }
        }
    }
}
