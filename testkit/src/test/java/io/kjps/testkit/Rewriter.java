package io.kjps.testkit;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import java.util.Map;

/**
 * A test plugin that rewrites the request for the service in {@code access} and reports, in {@code response}, what
 * the service answered ({@code kong.service.response.*}), for the echo upstream's tests.
 */
@KongPlugin(name = "testkit-rewriter", version = "1.0.0", priority = 20)
public class Rewriter implements KongPhaseHandler<Void> {

    @Override
    public void access(Kong kong, Void config) {
        kong.service().request().setMethod("PUT");
        kong.service().request().setPath("/v2" + kong.request().getPath());
        kong.service().request().setRawQuery("page=2&tag=a&tag=b&all");
        kong.service().request().clearHeader("x-secret");
        kong.service().request().setHeader("x-rewritten", "yes");
        kong.service().request().setBody(Map.of("name", "kong"), null);
    }

    @Override
    public void response(Kong kong, Void config) {
        Map<?, ?> echo = (Map<?, ?>) kong.service().response().getBody();
        kong.response().setHeader("x-seen-status", String.valueOf(kong.service().response().getStatus()));
        kong.response().setHeader("x-seen-type", kong.service().response().getHeader("content-type"));
        kong.response().setHeader("x-seen-method", String.valueOf(echo.get("method")));
        kong.response().setHeader("x-seen-uri", String.valueOf(echo.get("uri")));
        kong.response().setHeader("x-seen-json", String.valueOf(echo.get("json")));
    }
}
