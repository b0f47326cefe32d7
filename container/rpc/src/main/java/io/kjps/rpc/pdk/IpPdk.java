package io.kjps.rpc.pdk;

import io.kjps.pdk.Ip;

/** {@code kong.ip} over a {@link PdkCaller}. */
final class IpPdk implements Ip {
    private final PdkCaller k;

    IpPdk(PdkCaller caller) {
        this.k = caller;
    }

    @Override
    public boolean isTrusted(String address) {
        String m = "kong.ip.is_trusted";
        return PdkResults.bool(m, k.call(m, address));
    }
}
