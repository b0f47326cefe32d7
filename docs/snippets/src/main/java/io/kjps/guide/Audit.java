package io.kjps.guide;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import org.osgi.service.component.annotations.Component;

/** The guide's logging example. */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "audit", version = "1.0.0", priority = 5)
public class Audit implements KongPhaseHandler<Void> {

    // snippet:logging
    @Override
    public void access(Kong kong, Void config) {
        kong.log().setSerializeValue("audited", true);         // added to what log plugins serialize
        String client = kong.request().getHeader("x-client");
        if (client == null) {
            kong.log().warn("request without x-client from ", kong.client().getIp());
        }
    }

    @Override
    public void log(Kong kong, Void config) {
        kong.log().info("audited ", kong.log().serialize()); // Kong's error log, at info
    }
    // end:logging
}
