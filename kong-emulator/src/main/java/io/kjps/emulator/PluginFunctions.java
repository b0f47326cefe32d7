package io.kjps.emulator;

import java.util.List;

/** {@code kong.plugin.*}: the plugin entity's id from the builder. */
final class PluginFunctions implements PdkNamespace {

    @Override
    public PdkResult call(FakeState s, String phase, String m, List<Object> a) {
        return m.equals("kong.plugin.get_id") ? PdkResult.of(s.pluginId) : s.unknown(m);
    }
}
