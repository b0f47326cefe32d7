package io.kjps.emulator;

import static io.kjps.emulator.LuaArgs.arg;

import io.kjps.emulator.internal.LuaValues;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code kong.node.*}: the node id from the builder, {@code localhost}, and the memory of one worker. */
final class NodeFunctions implements PdkNamespace {
    /**
     * The shared dictionaries {@code kong.node.get_memory_stats} reports: name to {capacity, allocated bytes}
     * ({@code kong}: 5 MiB, 40 KiB used; {@code kong_db_cache}: 128 MiB, 776 KiB used).
     */
    static final Map<String, long[]> SHARED_DICTS = sharedDicts();
    /** The one worker {@code kong.node.get_memory_stats} reports. */
    static final long WORKER_PID = 4242;
    /** Its Lua VM's memory: 2.5 MiB. */
    static final long WORKER_LUA_VM_BYTES = 2_621_440;


    private static Map<String, long[]> sharedDicts() {
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("kong", new long[] {5_242_880, 40_960});
        m.put("kong_db_cache", new long[] {134_217_728, 794_624});
        return Collections.unmodifiableMap(m);
    }

    @Override
    public PdkResult call(FakeState s, String phase, String m, List<Object> a) {
        return switch (m) {
            case "kong.node.get_id" -> PdkResult.of(s.nodeId);
            case "kong.node.get_hostname" -> PdkResult.of("localhost");
            case "kong.node.get_memory_stats" -> PdkResult.of(memoryStats(a));
            default -> s.unknown(m);
        };
    }

    /**
     * Kong's {@code get_memory_stats(unit, scale)} for {@link #SHARED_DICTS} and one worker: numbers of bytes
     * without a unit (or with {@code b}), else text such as {@code "5.00 MiB"}; a bad unit or scale raises.
     */
    private static Map<String, Object> memoryStats(List<Object> a) {
        Object unitArg = arg(a, 0);
        Object scaleArg = arg(a, 1);
        String unit;
        if (unitArg == null) {
            unit = "b";
        } else if (LuaValues.isString(unitArg) || unitArg instanceof Number) {
            unit = LuaValues.tostring(unitArg);
        } else {
            throw new LuaArgs.Raise("bad argument #1 to 'lower' (string expected, got " + LuaArgs.luaType(unitArg)
                    + ")");
        }
        String u = unit.toLowerCase(Locale.ROOT);
        int scale = 2;
        if (!u.isEmpty() && !u.equals("b")) {
            Object sc = scaleArg == null ? Long.valueOf(2) : scaleArg;
            if (!(sc instanceof Number n) || n.doubleValue() < 0) {
                throw new LuaArgs.Raise("scale must be equal or greater than 0");
            }
            scale = n.intValue();
            if (!u.equals("k") && !u.equals("m") && !u.equals("g")) {
                throw new LuaArgs.Raise("invalid unit '" + unit + "' (expected 'k/K', 'm/M', or 'g/G')");
            }
        }
        Map<String, Object> dicts = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> d : SHARED_DICTS.entrySet()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("capacity", bytes(d.getValue()[0], u, scale));
            one.put("allocated_slabs", bytes(d.getValue()[1], u, scale));
            dicts.put(d.getKey(), one);
        }
        Map<String, Object> worker = new LinkedHashMap<>();
        worker.put("pid", WORKER_PID);
        worker.put("http_allocated_gc", bytes(WORKER_LUA_VM_BYTES, u, scale));
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("workers_lua_vms", List.of(worker));
        res.put("lua_shared_dicts", dicts);
        return res;
    }

    /** Kong's {@code convert_bytes}: a number for {@code b}; {@code %d} text for {@code ""}; else {@code %.Nf KiB}. */
    private static Object bytes(long n, String unit, int scale) {
        if (unit.equals("b")) {
            return n;
        }
        if (unit.isEmpty()) {
            return Long.toString(n);
        }
        int shift = unit.equals("k") ? 10 : unit.equals("m") ? 20 : 30;
        String suffix = unit.equals("k") ? " KiB" : unit.equals("m") ? " MiB" : " GiB";
        // the exact quotient, rounded as C's printf rounds a double: to nearest, ties to even
        return new BigDecimal(n).divide(BigDecimal.valueOf(1L << shift)).setScale(scale, RoundingMode.HALF_EVEN)
                .toPlainString() + suffix;
    }
}
