package io.kjps.emulator.internal;

import io.kjps.emulator.ExtValue;
import io.kjps.emulator.RawString;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recordings' JSON form of a msgpack value (conversations README, "Line format") turned into the Java values
 * that {@code KongPacker} packs to the same bytes: {@code $bin} → byte[], {@code $str_hex} → RawString,
 * {@code $float64}/{@code $float32} → Double, {@code $u64}/{@code $i64} → BigInteger/Long, {@code $ext} → ExtValue,
 * {@code $map} → map with non-string keys. A JSON {@code {}} can only come from an empty msgpack map (an empty
 * array is {@code []}), so it becomes an explicit empty map.
 */
public final class JsonForm {
    private JsonForm() {
    }

    /**
     * @param json a value from {@link LuaJson#parse}
     * @return the Java value
     */
    public static Object toJava(Object json) {
        if (json instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(toJava(o));
            }
            return out;
        }
        if (!(json instanceof Map<?, ?> m)) {
            return json;
        }
        if (m.isEmpty()) {
            return new ExplicitMap();
        }
        if (m.size() == 1) {
            Map.Entry<?, ?> e = m.entrySet().iterator().next();
            Object v = e.getValue();
            switch ((String) e.getKey()) {
                case "$bin":
                    return Base64.getDecoder().decode((String) v);
                case "$str_hex":
                    return new RawString(HexFormat.of().parseHex((String) v));
                case "$float64":
                case "$float32":
                    return ((Number) v).doubleValue();
                case "$u64":
                case "$i64": {
                    BigInteger bi = new BigInteger((String) v);
                    return bi.bitLength() < 64 ? (Object) bi.longValue() : bi;
                }
                case "$map": {
                    Map<Object, Object> out = new ExplicitMap();
                    for (Object pair : (List<?>) v) {
                        List<?> kv = (List<?>) pair;
                        out.put(toJava(kv.get(0)), toJava(kv.get(1)));
                    }
                    return out;
                }
                default:
                    break;
            }
        }
        if (m.size() == 2 && m.containsKey("$ext") && m.containsKey("data")) {
            return new ExtValue(((Number) m.get("$ext")).intValue(),
                    Base64.getDecoder().decode((String) m.get("data")));
        }
        Map<Object, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, toJava(v)));
        return out;
    }
}
