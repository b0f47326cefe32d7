package io.kjps.guide;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import org.osgi.service.component.annotations.Component;

/** The guide's phases example: one request through access, response and log. */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "timing", version = "1.0.0", priority = 800)
public class Timing implements KongPhaseHandler<Void> {

    // snippet:phases
    @Override
    public void access(Kong kong, Void config) {
        // the request, before it goes upstream: read it, change what goes upstream, or exit
        kong.ctx().shared().set("timing_path", kong.request().getPath());
        kong.service().request().setHeader("x-timed", "yes");
    }

    @Override
    public void response(Kong kong, Void config) {
        // the whole upstream response is buffered: read it, change what the client gets
        int status = kong.service().response().getStatus();
        kong.response().setHeader("x-upstream-status", Long.toString(status));
    }

    @Override
    public void log(Kong kong, Void config) {
        // after the client has the response: ctx, headers, status and serialize() only
        kong.log().info("timed ", kong.ctx().shared().getString("timing_path"), " -> ", kong.response().getStatus());
    }
    // end:phases
}
