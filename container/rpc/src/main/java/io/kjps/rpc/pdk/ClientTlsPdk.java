package io.kjps.rpc.pdk;

import io.kjps.pdk.ClientTls;

/** {@code kong.client.tls} over a {@link PdkCaller}. */
final class ClientTlsPdk implements ClientTls {
    private final PdkCaller k;

    ClientTlsPdk(PdkCaller caller) {
        this.k = caller;
    }

    @Override
    public void requestClientCertificate() {
        k.call("kong.client.tls.request_client_certificate");
    }

    @Override
    public void disableSessionReuse() {
        k.call("kong.client.tls.disable_session_reuse");
    }

    @Override
    public String getFullClientCertificateChain() {
        String m = "kong.client.tls.get_full_client_certificate_chain";
        return PdkResults.string(m, k.call(m));
    }

    @Override
    public void setClientVerify(String result) {
        k.call("kong.client.tls.set_client_verify", result);
    }
}
