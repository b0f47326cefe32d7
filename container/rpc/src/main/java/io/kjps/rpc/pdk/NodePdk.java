package io.kjps.rpc.pdk;

import io.kjps.pdk.Node;
import io.kjps.pdk.entity.FormattedMemoryStats;
import io.kjps.pdk.entity.MemoryStats;
import java.util.Locale;
import java.util.Set;

/** {@code kong.node} over a {@link PdkCaller}. */
final class NodePdk implements Node {
    private static final Set<String> UNITS = Set.of("b", "k", "m", "g");
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

    @Override
    public FormattedMemoryStats getMemoryStats(String unit, int scale) {
        String m = "kong.node.get_memory_stats";
        // Kong raises (and abandons the event) for these, so they never leave the plugin
        if (unit == null || !UNITS.contains(unit.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(m + ": unit must be one of b, k, m, g (any case), got "
                    + (unit == null ? "null" : "\"" + unit + "\""));
        }
        if (scale < 0) {
            throw new IllegalArgumentException(m + ": scale must be 0 or more, got " + scale);
        }
        return Entities.formattedMemoryStats(m, k.call(m, unit, scale));
    }
}
