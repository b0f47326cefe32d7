package io.kjps.rpc.pdk;

import io.kjps.pdk.Node;
import io.kjps.pdk.entity.MemoryStats;

/** {@code kong.node} over a {@link PdkCaller}. */
final class NodePdk implements Node {
    private final PdkCaller k;

    NodePdk(PdkCaller caller) {
        this.k = caller;
    }

    @Override
    public String getId() {
        String m = "kong.node.get_id";
        return PdkResults.string(m, k.call(m));
    }

    @Override
    public String getHostname() {
        String m = "kong.node.get_hostname";
        return PdkResults.string(m, k.call(m));
    }

    @Override
    public MemoryStats getMemoryStats() {
        String m = "kong.node.get_memory_stats";
        return Entities.memoryStats(m, k.call(m));
    }
}
