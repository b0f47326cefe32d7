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

    /**
     * {@code kong.service.set_retries(retries)}. Phase: access. Kong 3.5 to 3.8 added it (not in 3.4); on older
     * lines Kong ignores the call.
     *
     * @param retries how often Kong retries a failed connection (0 to 32767)
     */
    void setRetries(int retries);

    /**
     * {@code kong.service.set_timeouts(connect, write, read)}. Phase: access. Kong 3.5 to 3.8 added it (not in 3.4);
     * on older lines Kong ignores the call.
     *
     * @param connectTimeout milliseconds, 1 to 2147483646
     * @param writeTimeout milliseconds
     * @param readTimeout milliseconds
     */
    void setTimeouts(int connectTimeout, int writeTimeout, int readTimeout);

    /**
     * {@code kong.service.set_tls_verify(on)}: whether Kong verifies the upstream's certificate. Phases: rewrite,
     * access, balancer, preread.
     *
     * @param on verify or not
     */
    void setTlsVerify(boolean on);

    /**
     * {@code kong.service.set_tls_verify_depth(depth)}. Phases: rewrite, access, balancer, preread.
     *
     * @param depth the longest certificate chain Kong accepts (0 to 64)
     */
    void setTlsVerifyDepth(int depth);
}
