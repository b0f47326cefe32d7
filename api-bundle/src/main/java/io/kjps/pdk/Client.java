package io.kjps.pdk;

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
}
