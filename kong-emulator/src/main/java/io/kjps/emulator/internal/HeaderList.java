package io.kjps.emulator.internal;

import io.kjps.emulator.RawString;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP headers in order, with duplicates, matched case-insensitively with {@code _} equal to {@code -} (nginx's
 * header tables). Values are String or RawString.
 */
public final class HeaderList {
    private final List<Map.Entry<String, Object>> entries = new ArrayList<>();

    /**
     * @param name a header name
     * @return lower case, underscores as dashes
     */
    public static String norm(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @return a deep-enough copy (values are immutable) */
    public HeaderList copy() {
        HeaderList h = new HeaderList();
        h.entries.addAll(entries);
        return h;
    }

    /**
     * @param name  header name
     * @param value String or RawString
     */
    public void add(String name, Object value) {
        entries.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
    }

    /** @param other headers to append, in their order */
    public void addAll(HeaderList other) {
        entries.addAll(other.entries);
    }

    /**
     * Replaces every value of the header.
     *
     * @param name   header name
     * @param values new values
     */
    public void set(String name, List<Object> values) {
        remove(name);
        values.forEach(v -> add(name, v));
    }

    /** @param name header name to remove entirely */
    public void remove(String name) {
        String n = norm(name);
        entries.removeIf(e -> norm(e.getKey()).equals(n));
    }

    /**
     * @param name header name
     * @return the first value, or null
     */
    public Object first(String name) {
        String n = norm(name);
        for (Map.Entry<String, Object> e : entries) {
            if (norm(e.getKey()).equals(n)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * @param name header name
     * @return all values in order
     */
    public List<Object> all(String name) {
        String n = norm(name);
        List<Object> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : entries) {
            if (norm(e.getKey()).equals(n)) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /** @return Lua's header table: lower-case names to a string, or a list of strings when repeated */
    public Map<String, Object> luaTable() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : entries) {
            String k = e.getKey().toLowerCase(Locale.ROOT);
            Object prev = out.get(k);
            if (prev == null) {
                out.put(k, e.getValue());
            } else if (prev instanceof List<?> l) {
                @SuppressWarnings("unchecked")
                List<Object> lo = (List<Object>) l;
                lo.add(e.getValue());
            } else {
                List<Object> l = new ArrayList<>();
                l.add(prev);
                l.add(e.getValue());
                out.put(k, l);
            }
        }
        return out;
    }

    /** @return lower-case names to all their values as text (non-UTF-8 bytes as ISO-8859-1) */
    public Map<String, List<String>> view() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : entries) {
            Object v = e.getValue();
            out.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(v instanceof RawString r ? r.latin1() : String.valueOf(v));
        }
        return out;
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
