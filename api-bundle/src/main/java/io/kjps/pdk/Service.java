package io.kjps.pdk;

import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.service}: where Kong proxies the request. Phases: rewrite, access. */
@ProviderType
public interface Service {

    /** @return {@code kong.service.request}: what goes upstream */
    ServiceRequest request();

    /** @return {@code kong.service.response}: what came back from upstream (response and log phases) */
    ServiceResponse response();

    /**
     * {@code kong.service.set_upstream(host)}.
     *
     * @param host the name of a Kong upstream entity
     */
    void setUpstream(String host);

    /**
     * {@code kong.service.set_target(host, port)}.
     *
     * @param host the target host
     * @param port the target port
     */
    void setTarget(String host, int port);
}
