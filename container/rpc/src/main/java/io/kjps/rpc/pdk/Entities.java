package io.kjps.rpc.pdk;

import io.kjps.pdk.PdkException;
import io.kjps.pdk.entity.Consumer;
import io.kjps.pdk.entity.Credential;
import io.kjps.pdk.entity.FormattedMemoryStats;
import io.kjps.pdk.entity.GatewayService;
import io.kjps.pdk.entity.MemoryStats;
import io.kjps.pdk.entity.Route;
import io.kjps.pdk.entity.UriCaptures;
import io.kjps.pdk.entity.VaultReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kong's entity tables as records. Kong packs an empty Lua table as an empty array, so {@code []} is accepted
 * wherever a map is meant; absent (nil) fields are {@code null}.
 */
final class Entities {
    private Entities() {
    }

    /** @return the table as a string-keyed, unmodifiable map; {@code null} for nil */
    static Map<String, Object> table(String method, Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> l && l.isEmpty()) {
            return Collections.emptyMap();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new PdkException(method + ": expected a table from Kong, got "
                    + io.kjps.rpc.codec.RpcCodec.describe(v));
        }
        Map<String, Object> out = new LinkedHashMap<>(m.size() * 2);
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    private static String str(String method, Map<String, Object> t, String key) {
        return PdkResults.string(method, t.get(key));
    }

    private static Long lng(String method, Map<String, Object> t, String key) {
        Object v = t.get(key);
        return v == null ? null : PdkResults.longValue(method, v);
    }

    private static Boolean bool(String method, Map<String, Object> t, String key) {
        Object v = t.get(key);
        return v == null ? null : PdkResults.bool(method, v);
    }

    /** @return a list of strings; nil is an empty list */
    static List<String> strings(String method, Object v) {
        if (v == null) {
            return Collections.emptyList();
        }
        if (!(v instanceof List<?> l)) {
            if (v instanceof Map<?, ?> m && m.isEmpty()) {
                return Collections.emptyList();
            }
            throw new PdkException(method + ": expected an array from Kong, got "
                    + io.kjps.rpc.codec.RpcCodec.describe(v));
        }
        List<String> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(PdkResults.string(method, o));
        }
        return Collections.unmodifiableList(out);
    }

    /** The id inside a foreign key ({@code service = {id = ...}}). */
    private static String foreignId(String method, Map<String, Object> t, String key) {
        Map<String, Object> ref = table(method, t.get(key));
        return ref == null ? null : str(method, ref, "id");
    }

    static Route route(String m, Object v) {
        Map<String, Object> t = table(m, v);
        if (t == null) {
            return null;
        }
        return new Route(str(m, t, "id"), str(m, t, "name"), strings(m, t.get("protocols")),
                strings(m, t.get("methods")), strings(m, t.get("hosts")), strings(m, t.get("paths")),
                bool(m, t, "strip_path"), bool(m, t, "preserve_host"), strings(m, t.get("tags")),
                foreignId(m, t, "service"), t);
    }

    static GatewayService service(String m, Object v) {
        Map<String, Object> t = table(m, v);
        if (t == null) {
            return null;
        }
        return new GatewayService(str(m, t, "id"), str(m, t, "name"), str(m, t, "protocol"), str(m, t, "host"),
                lng(m, t, "port"), str(m, t, "path"), lng(m, t, "retries"), lng(m, t, "connect_timeout"),
                lng(m, t, "write_timeout"), lng(m, t, "read_timeout"), strings(m, t.get("tags")), t);
    }

    static Consumer consumer(String m, Object v) {
        Map<String, Object> t = table(m, v);
        if (t == null) {
            return null;
        }
        return new Consumer(str(m, t, "id"), str(m, t, "username"), str(m, t, "custom_id"),
                lng(m, t, "created_at"), strings(m, t.get("tags")), t);
    }

    static Credential credential(String m, Object v) {
        Map<String, Object> t = table(m, v);
        if (t == null) {
            return null;
        }
        return new Credential(str(m, t, "id"), foreignId(m, t, "consumer"), t);
    }

    static MemoryStats memoryStats(String m, Object v) {
        Map<String, Object> t = table(m, v);
        if (t == null) {
            return null;
        }
        Map<String, MemoryStats.SharedDict> dicts = new LinkedHashMap<>();
        Map<String, Object> rawDicts = table(m, t.get("lua_shared_dicts"));
        if (rawDicts != null) {
            for (Map.Entry<String, Object> e : rawDicts.entrySet()) {
                Map<String, Object> d = table(m, e.getValue());
                Long slabs = lng(m, d, "allocated_slabs");
                Long capacity = lng(m, d, "capacity");
                dicts.put(e.getKey(), new MemoryStats.SharedDict(slabs == null ? 0 : slabs,
                        capacity == null ? 0 : capacity));
            }
        }
        List<MemoryStats.WorkerVm> vms = new ArrayList<>();
        Object rawVms = t.get("workers_lua_vms");
        if (rawVms instanceof List<?> l) {
            for (Object o : l) {
                Map<String, Object> w = table(m, o);
                Long pid = lng(m, w, "pid");
                vms.add(new MemoryStats.WorkerVm(pid == null ? 0 : pid, lng(m, w, "http_allocated_gc"),
                        str(m, w, "err")));
            }
        }
        return new MemoryStats(Collections.unmodifiableMap(dicts), Collections.unmodifiableList(vms), t);
    }

    /** Sizes as Kong formatted them: text for {@code k/m/g}, numbers of bytes (as digits) for {@code b}. */
    static FormattedMemoryStats formattedMemoryStats(String m, Object v) {
        Map<String, Object> t = table(m, v);
        if (t == null) {
            return null;
        }
        Map<String, FormattedMemoryStats.SharedDict> dicts = new LinkedHashMap<>();
        Map<String, Object> rawDicts = table(m, t.get("lua_shared_dicts"));
        if (rawDicts != null) {
            for (Map.Entry<String, Object> e : rawDicts.entrySet()) {
                Map<String, Object> d = table(m, e.getValue());
                dicts.put(e.getKey(), new FormattedMemoryStats.SharedDict(str(m, d, "allocated_slabs"),
                        str(m, d, "capacity")));
            }
        }
        List<FormattedMemoryStats.WorkerVm> vms = new ArrayList<>();
        Object rawVms = t.get("workers_lua_vms");
        if (rawVms instanceof List<?> l) {
            for (Object o : l) {
                Map<String, Object> w = table(m, o);
                Long pid = lng(m, w, "pid");
                vms.add(new FormattedMemoryStats.WorkerVm(pid == null ? 0 : pid, str(m, w, "http_allocated_gc"),
                        str(m, w, "err")));
            }
        }
        return new FormattedMemoryStats(Collections.unmodifiableMap(dicts), Collections.unmodifiableList(vms), t);
    }

    static UriCaptures uriCaptures(String m, Object v) {
        Map<String, Object> t = table(m, v);
        Map<Integer, String> unnamed = new LinkedHashMap<>();
        Map<String, String> named = new LinkedHashMap<>();
        if (t != null) {
            Object u = t.get("unnamed");
            if (u instanceof List<?> l) {
                // a Lua array: numbered from 1
                for (int i = 0; i < l.size(); i++) {
                    unnamed.put(i + 1, PdkResults.string(m, l.get(i)));
                }
            } else if (u instanceof Map<?, ?> map) {
                // key 0 (the whole match) makes Kong send an integer-keyed map
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof Number n)) {
                        throw new PdkException(m + ": expected integer keys in unnamed captures, got "
                                + io.kjps.rpc.codec.RpcCodec.describe(e.getKey()));
                    }
                    unnamed.put(n.intValue(), PdkResults.string(m, e.getValue()));
                }
            } else if (u != null) {
                throw new PdkException(m + ": expected unnamed captures, got " + io.kjps.rpc.codec.RpcCodec.describe(u));
            }
            Map<String, Object> n = table(m, t.get("named"));
            if (n != null) {
                for (Map.Entry<String, Object> e : n.entrySet()) {
                    named.put(e.getKey(), PdkResults.string(m, e.getValue()));
                }
            }
        }
        return new UriCaptures(Collections.unmodifiableMap(unnamed), Collections.unmodifiableMap(named));
    }

    static VaultReference vaultReference(String m, Object v) {
        Map<String, Object> t = table(m, v);
        if (t == null) {
            return null;
        }
        Map<String, Object> config = table(m, t.get("config"));
        return new VaultReference(str(m, t, "name"), str(m, t, "resource"), str(m, t, "key"),
                lng(m, t, "version"), config == null ? Collections.emptyMap() : config);
    }

    /** @return nginx statistics, every value a long */
    static Map<String, Long> longs(String m, Object v) {
        Map<String, Object> t = table(m, v);
        if (t == null) {
            return Collections.emptyMap();
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : t.entrySet()) {
            out.put(e.getKey(), PdkResults.longValue(m, e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }
}
