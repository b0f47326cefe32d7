package io.kjps.rpc.testutil;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;

/** Kong's hello test plugin without config: one {@code get_header}, one {@code set_header}, return. */
public final class HelloPlugin implements KongPhaseHandler<Object> {
    @Override
    public void access(Kong kong, Object config) {
        String name = kong.request().getHeader("x-name");
        kong.response().setHeader("x-hello", "hello " + name);
    }
}
