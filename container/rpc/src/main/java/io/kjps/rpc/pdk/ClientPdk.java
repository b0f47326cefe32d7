package io.kjps.rpc.pdk;

import io.kjps.pdk.Client;
import io.kjps.pdk.ClientTls;
import io.kjps.pdk.entity.Consumer;
import io.kjps.pdk.entity.Credential;

/** {@code kong.client} over a {@link PdkCaller}. */
final class ClientPdk implements Client {
    private final PdkCaller k;
    private ClientTls tls;

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

    @Override
    public String getProtocol(boolean allowTerminated) {
        String m = "kong.client.get_protocol";
        return PdkResults.string(m, k.call(m, allowTerminated));
    }

    @Override
    public Credential getCredential() {
        String m = "kong.client.get_credential";
        return Entities.credential(m, k.call(m));
    }

    @Override
    public Consumer getConsumer() {
        String m = "kong.client.get_consumer";
        return Entities.consumer(m, k.call(m));
    }

    @Override
    public Consumer loadConsumer(String id, boolean byUsername) {
        String m = "kong.client.load_consumer";
        return Entities.consumer(m, k.call(m, id, byUsername));
    }

    @Override
    public void authenticate(Consumer consumer, Credential credential) {
        String m = "kong.client.authenticate";
        if (consumer == null && credential == null) {
            throw new IllegalArgumentException(m + ": a consumer or a credential is required");
        }
        if (consumer == null) {
            // [nil, credential]: Lua's unpack would drop the credential too (protocol.md §4.6)
            throw new IllegalArgumentException(m + ": a credential without a consumer cannot be sent through the "
                    + "plugin server (a nil first argument truncates Kong's argument list)");
        }
        if (credential == null) {
            k.call(m, consumer.raw());
        } else {
            k.call(m, consumer.raw(), credential.raw());
        }
    }

    @Override
    public ClientTls tls() {
        ClientTls t = tls;
        return t != null ? t : (tls = new ClientTlsPdk(k));
    }
}
