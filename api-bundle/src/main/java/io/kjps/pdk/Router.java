package io.kjps.pdk;

import io.kjps.pdk.entity.GatewayService;
import io.kjps.pdk.entity.Route;
import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.router}: what the request matched. Phases: access, header_filter, response, body_filter, log. */
@ProviderType
public interface Router {

    /** @return {@code kong.router.get_route()}, or {@code null} */
    Route getRoute();

    /** @return {@code kong.router.get_service()}, or {@code null} (a route without a service) */
    GatewayService getService();
}
