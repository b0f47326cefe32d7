package io.kjps.emulator.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that {@code KongPacker} packs as a msgpack map even when it is empty: Kong's {@code mp_empty_map}, used by
 * {@code fix_mmap} for an empty multimap. Any other empty map packs as an empty array, like an empty Lua table.
 */
public final class ExplicitMap extends LinkedHashMap<Object, Object> {
    private static final long serialVersionUID = 1L;

    /** An empty explicit map. */
    public ExplicitMap() {
        super();
    }

    /** @param m entries to copy, in iteration order */
    public ExplicitMap(Map<?, ?> m) {
        super(m);
    }
}
