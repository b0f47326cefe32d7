package io.kjps.pdk;

import io.kjps.pdk.entity.Consumer;
import io.kjps.pdk.entity.Credential;
import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.client}: the downstream client. Phases: certificate (ip, port), rewrite, access, response. */
@ProviderType
public interface Client {

    /** @return {@code kong.client.get_ip()}: the address of the peer that connected */
    String getIp();

    /** @return {@code kong.client.get_forwarded_ip()}: honouring trusted proxies */
    String getForwardedIp();

    /** @return {@code kong.client.get_port()} */
    long getPort();

    /** @return {@code kong.client.get_forwarded_port()} */
    long getForwardedPort();

    /** @return {@code kong.client.get_protocol()}, for example {@code https} */
    String getProtocol();

    /**
     * {@code kong.client.get_protocol(allow_terminated)}. Phases: access, header_filter, response, log.
     *
     * @param allowTerminated whether to honour {@code X-Forwarded-Proto} from trusted proxies
     * @return the protocol, for example {@code https}
     */
    String getProtocol(boolean allowTerminated);

    /**
     * {@code kong.client.get_credential()}. Phases: access, header_filter, response, log.
     *
     * @return the credential an auth plugin set, or {@code null}
     */
    Credential getCredential();

    /**
     * {@code kong.client.get_consumer()}. Phases: access, header_filter, response, log.
     *
     * @return the authenticated consumer, or {@code null}
     */
    Consumer getConsumer();

    /**
     * {@code kong.client.load_consumer(id, by_username)}. Phases: access, header_filter, response, log.
     *
     * @param id the consumer id (or username)
     * @param byUsername also search by username when no consumer has this id
     * @return the consumer, or {@code null} when none (or on a lookup error in Kong 3.x)
     */
    Consumer loadConsumer(String id, boolean byUsername);

    /**
     * {@code kong.client.authenticate(consumer, credential)}: sets who the request is authenticated as. At least
     * one of the two must be given. Phases: rewrite, access.
     *
     * @param consumer the consumer, or {@code null}
     * @param credential the credential, or {@code null}
     */
    void authenticate(Consumer consumer, Credential credential);

    /** @return {@code kong.client.tls}: client certificates (mutual TLS) */
    ClientTls tls();
}
