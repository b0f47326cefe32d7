package io.kjps.rpc.pdk;

import io.kjps.pdk.Plugin;

/** {@code kong.plugin} over a {@link PdkCaller}. */
final class PluginPdk implements Plugin {
    private final PdkCaller k;

    PluginPdk(PdkCaller caller) {
        this.k = caller;
    }

    @Override
    public String getId() {
        String m = "kong.plugin.get_id";
        return PdkResults.string(m, k.call(m));
    }
}
