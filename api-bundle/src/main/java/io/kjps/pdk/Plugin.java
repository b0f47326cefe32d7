package io.kjps.pdk;

import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.plugin}: the plugin entity that runs (Kong 3.3+). */
@ProviderType
public interface Plugin {

    /**
     * {@code kong.plugin.get_id()}: the plugin entity's UUID. Kong added it in 3.3: on earlier lines Kong logs
     * "could not find pdk method" and answers nil, so this returns {@code null} there (docs/protocol.md §4.6).
     *
     * @return the plugin entity's UUID, or {@code null} on Kong before 3.3
     */
    String getId();
}
