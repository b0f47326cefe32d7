package io.kjps.rpc.pdk;

import io.kjps.pdk.Client;

/** {@code kong.client} over a {@link PdkCaller}. */
final class ClientPdk implements Client {
    private final PdkCaller k;

    ClientPdk(PdkCaller caller) {
        this.k = caller;
    }

    @Override
    public String getIp() {
        String m = "kong.client.get_ip";
        return PdkResults.string(m, k.call(m));
    }

    @Override
    public String getForwardedIp() {
        String m = "kong.client.get_forwarded_ip";
        return PdkResults.string(m, k.call(m));
    }

    @Override
    public long getPort() {
        String m = "kong.client.get_port";
        return PdkResults.longValue(m, k.call(m));
    }

    @Override
    public long getForwardedPort() {
        String m = "kong.client.get_forwarded_port";
        return PdkResults.longValue(m, k.call(m));
    }

    @Override
    public String getProtocol() {
        String m = "kong.client.get_protocol";
        return PdkResults.string(m, k.call(m));
    }
}
