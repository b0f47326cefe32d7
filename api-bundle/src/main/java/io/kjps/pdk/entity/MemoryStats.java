package io.kjps.pdk.entity;

import java.util.List;
import java.util.Map;

/**
 * {@code kong.node.get_memory_stats()}: memory of the shared dictionaries and of the workers' Lua VMs, in bytes.
 *
 * @param luaSharedDicts per shared dictionary name
 * @param workersLuaVms one entry per worker
 * @param raw the whole table Kong sent
 */
public record MemoryStats(Map<String, SharedDict> luaSharedDicts, List<WorkerVm> workersLuaVms,
        Map<String, Object> raw) {

    /**
     * One shared dictionary.
     *
     * @param allocatedSlabs bytes in use
     * @param capacity bytes available in total
     */
    public record SharedDict(long allocatedSlabs, long capacity) {
    }

    /**
     * One worker's Lua VM.
     *
     * @param pid the worker's process id
     * @param httpAllocatedGc bytes held by its Lua garbage collector, or {@code null} when Kong reported an error
     * @param error Kong's error text for this worker, or {@code null}
     */
    public record WorkerVm(long pid, Long httpAllocatedGc, String error) {
    }
}
