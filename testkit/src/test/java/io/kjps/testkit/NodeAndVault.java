package io.kjps.testkit;

import io.kjps.pdk.Kong;
import io.kjps.pdk.entity.FormattedMemoryStats;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A test plugin for the PDK 1.2 calls through the test kit: reports {@code kong.node.get_memory_stats("m", 1)} and
 * {@code kong.vault.update} as response headers, then calls {@code kong.vault.flush}.
 */
@KongPlugin(name = "testkit-node-vault", version = "1.0.0", priority = 30)
public class NodeAndVault implements KongPhaseHandler<Void> {

    @Override
    public void access(Kong kong, Void config) {
        FormattedMemoryStats mem = kong.node().getMemoryStats("m", 1);
        FormattedMemoryStats.SharedDict dict = mem.luaSharedDicts().get("kong");
        kong.response().setHeader("x-kong-dict", dict.allocatedSlabs() + " of " + dict.capacity());
        FormattedMemoryStats.WorkerVm vm = mem.workersLuaVms().get(0);
        kong.response().setHeader("x-worker", vm.pid() + " " + vm.httpAllocatedGc());

        Map<String, Object> options = new LinkedHashMap<>();
        options.put("password", "old");
        options.put("$refs", Map.of("password", "{vault://env/pw}"));
        Map<String, Object> updated = kong.vault().update(options);
        kong.response().setHeader("x-password", String.valueOf(updated.get("password")));
        kong.vault().flush();
    }
}
