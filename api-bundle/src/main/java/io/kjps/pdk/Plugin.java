package io.kjps.pdk;

import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.plugin}: the plugin entity that runs (Kong 3.3+). */
@ProviderType
public interface Plugin {

    /** @return {@code kong.plugin.get_id()}: the plugin entity's UUID */
    String getId();
}
