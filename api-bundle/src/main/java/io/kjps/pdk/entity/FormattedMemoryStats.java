package io.kjps.pdk.entity;

import java.util.List;
import java.util.Map;

/**
 * {@code kong.node.get_memory_stats(unit, scale)}: the figures of {@link MemoryStats} as Kong formats them for a
 * unit. With {@code "k"}, {@code "m"} or {@code "g"} Kong sends every size as text with {@code scale} decimals and
 * the binary unit, such as {@code "12.00 KiB"}, {@code "0.5 MiB"} or {@code "1.000 GiB"}. With {@code "b"} Kong sends
 * numbers of bytes, which arrive here as their decimal digits ({@code "12288"}), so one type serves every unit.
 *
 * <p>A separate record rather than {@link MemoryStats} with {@code String} fields, because the sizes of
 * {@link MemoryStats} are numbers a plugin computes with, and these are labels meant for display.
 *
 * @param luaSharedDicts per shared dictionary name
 * @param workersLuaVms one entry per worker
 * @param raw the whole table Kong sent
 */
public record FormattedMemoryStats(Map<String, SharedDict> luaSharedDicts, List<WorkerVm> workersLuaVms,
        Map<String, Object> raw) {

    /**
     * One shared dictionary.
     *
     * @param allocatedSlabs the size in use, as Kong formatted it, or {@code null} when Kong left it out
     * @param capacity the size available in total, as Kong formatted it, or {@code null} when Kong left it out
     */
    public record SharedDict(String allocatedSlabs, String capacity) {
    }

    /**
     * One worker's Lua VM.
     *
     * @param pid the worker's process id (a number whatever the unit)
     * @param httpAllocatedGc the size held by its Lua garbage collector, as Kong formatted it, or {@code null} when
     *        Kong reported an error
     * @param error Kong's error text for this worker, or {@code null}
     */
    public record WorkerVm(long pid, String httpAllocatedGc, String error) {
    }
}
