package io.kjps.pdk;

import io.kjps.pdk.entity.MemoryStats;
import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.node}: the Kong node. Every phase. */
@ProviderType
public interface Node {

    /** @return {@code kong.node.get_id()}: the node's UUID */
    String getId();

    /** @return {@code kong.node.get_hostname()} */
    String getHostname();

    /** @return {@code kong.node.get_memory_stats()}: memory use in bytes */
    MemoryStats getMemoryStats();
}
