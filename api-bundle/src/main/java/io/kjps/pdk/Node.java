package io.kjps.pdk;

import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.node}: the Kong node. Every phase. */
@ProviderType
public interface Node {

    /** @return {@code kong.node.get_id()}: the node's UUID */
    String getId();

    /** @return {@code kong.node.get_hostname()} */
    String getHostname();
}
