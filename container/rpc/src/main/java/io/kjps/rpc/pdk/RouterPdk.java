package io.kjps.rpc.pdk;

import io.kjps.pdk.Router;
import io.kjps.pdk.entity.GatewayService;
import io.kjps.pdk.entity.Route;

/** {@code kong.router} over a {@link PdkCaller}. */
final class RouterPdk implements Router {
    private final PdkCaller k;

    RouterPdk(PdkCaller caller) {
        this.k = caller;
    }

    @Override
    public Route getRoute() {
        String m = "kong.router.get_route";
        return Entities.route(m, k.call(m));
    }

    @Override
    public GatewayService getService() {
        String m = "kong.router.get_service";
        return Entities.service(m, k.call(m));
    }
}
