package io.kjps.rpc.pdk;

import io.kjps.pdk.Cluster;

/** {@code kong.cluster} over a {@link PdkCaller}. */
final class ClusterPdk implements Cluster {
    private final PdkCaller k;

    ClusterPdk(PdkCaller caller) {
        this.k = caller;
    }

    @Override
    public String getId() {
        String m = "kong.cluster.get_id";
        return PdkResults.string(m, k.call(m));
    }
}
