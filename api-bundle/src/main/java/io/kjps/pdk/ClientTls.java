package io.kjps.pdk;

import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.client.tls}: the client side of TLS (mutual TLS). */
@ProviderType
public interface ClientTls {

    /** {@code kong.client.tls.request_client_certificate()}: asks the client for a certificate. Phase: certificate. */
    void requestClientCertificate();

    /** {@code kong.client.tls.disable_session_reuse()}: no TLS session resumption. Phase: certificate. */
    void disableSessionReuse();

    /**
     * {@code kong.client.tls.get_full_client_certificate_chain()}. Phases: rewrite, access, balancer, header_filter,
     * body_filter, log.
     *
     * @return the client's certificate chain in PEM, or {@code null} when it sent none
     */
    String getFullClientCertificateChain();

    /**
     * {@code kong.client.tls.set_client_verify(result)}: overrides {@code $ssl_client_verify}. Phases: rewrite,
     * access.
     *
     * @param result {@code SUCCESS}, {@code NONE} or {@code FAILED:reason}
     */
    void setClientVerify(String result);
}
