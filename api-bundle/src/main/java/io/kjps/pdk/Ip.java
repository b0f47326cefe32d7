package io.kjps.pdk;

import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.ip}. Every phase. */
@ProviderType
public interface Ip {

    /**
     * {@code kong.ip.is_trusted(address)}.
     *
     * @param address an IP address
     * @return whether Kong's {@code trusted_ips} contain it
     */
    boolean isTrusted(String address);
}
