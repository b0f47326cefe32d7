package io.kjps.pdk;

import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.cluster}. Every phase. */
@ProviderType
public interface Cluster {

    /** @return {@code kong.cluster.get_id()}: the cluster's UUID, or {@code null} */
    String getId();
}
