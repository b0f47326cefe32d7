package io.kjps.emulator;

import io.kjps.emulator.internal.ExplicitMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * Packs Java values the way Kong's lua-MessagePack does (protocol.md §4.13: {@code string_compat}, {@code unsigned},
 * {@code double}, {@code without_hole}), byte for byte:
 * <ul>
 *   <li>{@code null} → nil. A {@code null} map value keeps its key (that is cjson.null; leave the key out to model a
 *       Lua nil).</li>
 *   <li>{@link Boolean} → true/false.</li>
 *   <li>integers ({@code Byte}, {@code Short}, {@code Integer}, {@code Long}, {@link BigInteger} up to 2^64-1):
 *       non-negative in the unsigned family (fixint, 0xcc, 0xcd, 0xce, 0xcf), negative as negative fixint or
 *       0xd0..0xd3, always the shortest.</li>
 *   <li>{@code Float}/{@code Double}: a Lua number. An integral value with magnitude below 2^53 packs as an
 *       integer (above), anything else as float64 (0xcb).</li>
 *   <li>{@link String} (UTF-8) and {@link RawString} (raw bytes) → fixstr, str16 or str32, <b>never str8</b>.</li>
 *   <li>{@code byte[]} → bin8/16/32 (what Kong's {@code fix_raw} sends for raw bodies).</li>
 *   <li>{@link Collection} and {@code Object[]} → array.</li>
 *   <li>{@link Map} → map in iteration order; an <b>empty</b> map → empty <b>array</b> (0x90), like an empty Lua
 *       table, unless it was made with {@link #explicitMap(Map)} (Kong's empty-multimap fix, 0x80).</li>
 * </ul>
 * Anything else (including {@link ExtValue}) is refused with {@link IllegalArgumentException}.
 */
public final class KongPacker {
    private static final double TWO_POW_53 = 9007199254740992.0;
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final MessagePack.PackerConfig CONFIG =
            new MessagePack.PackerConfig().withStr8FormatSupport(false);

    private static final ThreadLocal<MessageBufferPacker> PACKER = ThreadLocal.withInitial(CONFIG::newBufferPacker);

    private KongPacker() {
    }

    /**
     * @param value a value made of the types listed in the class comment
     * @return its MessagePack bytes as Kong would send them
     * @throws IllegalArgumentException for a value Kong could not produce
     */
    public static byte[] pack(Object value) {
        MessageBufferPacker p = PACKER.get(); // reused per thread: a new one allocates an 8 KB buffer
        try {
            p.clear();
            write(p, value);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory buffer: does not happen
        } catch (RuntimeException e) {
            PACKER.remove(); // a refused value leaves a half-written message: start the next one afresh
            throw e;
        }
    }

    /**
     * Marks a map to be packed as a msgpack map even when empty (Kong's {@code mp_empty_map}, used for empty
     * multimaps).
     *
     * @param map the entries (copied, order kept)
     * @return a mutable copy that packs as a map
     */
    public static Map<Object, Object> explicitMap(Map<?, ?> map) {
        return new ExplicitMap(map);
    }

    private static void write(MessagePacker p, Object v) throws IOException {
        if (v == null) {
            p.packNil();
        } else if (v instanceof Boolean b) {
            p.packBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            p.packLong(((Number) v).longValue()); // msgpack-core: shortest form, unsigned family for v >= 0
        } else if (v instanceof BigInteger bi) {
            if (bi.bitLength() < 64) {
                p.packLong(bi.longValue());
            } else if (bi.signum() > 0 && bi.compareTo(UINT64_MAX) <= 0) {
                p.packBigInteger(bi);
            } else {
                throw new IllegalArgumentException("integer out of msgpack range: " + bi);
            }
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d) && d == Math.floor(d) && Math.abs(d) < TWO_POW_53) {
                p.packLong((long) d);
            } else {
                p.packDouble(d);
            }
        } else if (v instanceof String s) {
            writeStr(p, s.getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof RawString r) {
            writeStr(p, r.unsafeBytes());
        } else if (v instanceof byte[] b) {
            p.packBinaryHeader(b.length);
            p.writePayload(b);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty() && !(m instanceof ExplicitMap)) {
                p.packArrayHeader(0);
                return;
            }
            p.packMapHeader(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                write(p, e.getKey());
                write(p, e.getValue());
            }
        } else if (v instanceof Collection<?> c) {
            p.packArrayHeader(c.size());
            for (Object o : c) {
                write(p, o);
            }
        } else if (v instanceof Object[] a) {
            p.packArrayHeader(a.length);
            for (Object o : a) {
                write(p, o);
            }
        } else {
            throw new IllegalArgumentException("Kong cannot pack a " + v.getClass().getName() + ": " + v);
        }
    }

    private static void writeStr(MessagePacker p, byte[] b) throws IOException {
        p.packRawStringHeader(b.length); // str8 disabled in CONFIG: fixstr, str16, str32
        p.writePayload(b);
    }
}
