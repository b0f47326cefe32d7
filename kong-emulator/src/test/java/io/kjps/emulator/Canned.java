package io.kjps.emulator;

import io.kjps.emulator.internal.JsonForm;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Plays the JS server's recorded side of a conversation: each request is looked up by its exact bytes up to map key
 * order (first unused occurrence) and answered with the recorded response bytes. With an id offset, the server "chooses" other ids: its
 * answers carry Id/EventId + offset, and requests are mapped back (and re-packed with Kong's packer) before lookup.
 */
final class Canned implements TestServer.Handler {
    private final Map<String, ArrayDeque<Map<?, ?>>> answers = new HashMap<>();
    private final long offset;
    private final UnaryOperator<Object> rewrite;

    Canned(Path jsonl) {
        this(jsonl, 0, null);
    }

    /**
     * @param offset  added to every Id/EventId the server returns
     * @param rewrite applied to every recorded answer (as a Java value) before sending, or null
     */
    Canned(Path jsonl, long offset, UnaryOperator<Object> rewrite) {
        this.offset = offset;
        this.rewrite = rewrite;
        List<Map<?, ?>> lines = Conversations.lines(jsonl);
        for (int i = 0; i < lines.size(); i++) {
            Map<?, ?> r = lines.get(i);
            if (!"kong->server".equals(r.get("dir"))) {
                continue;
            }
            for (int j = i + 1; j < lines.size(); j++) {
                Map<?, ?> a = lines.get(j);
                if (a.get("conn") != null && a.get("conn").equals(r.get("conn"))
                        && "server->kong".equals(a.get("dir"))) {
                    answers.computeIfAbsent(Canon.hex(Conversations.hex(r)), k -> new ArrayDeque<>()).add(a);
                    break;
                }
            }
        }
    }

    @Override
    public List<byte[]> answer(TestServer.Received req) {
        byte[] raw = req.raw();
        if (offset != 0) {
            raw = KongPacker.pack(unmap((List<?>) explicitMaps(req.msg())));
        }
        ArrayDeque<Map<?, ?>> q = answers.get(Canon.hex(raw)); // Kong's map key order varies
        if (q == null || q.isEmpty()) {
            throw new AssertionError("unexpected request " + req.msg() + " = " + HexFormat.of().formatHex(raw));
        }
        Map<?, ?> a = q.poll();
        if (offset == 0 && rewrite == null) {
            return List.of(Conversations.hex(a)); // the recorded bytes
        }
        Object msg = shift(JsonForm.toJava(a.get("msg")));
        return List.of(KongPacker.pack(rewrite == null ? msg : rewrite.apply(msg)));
    }

    /** Adds the offset to Id and EventId in a response's result. */
    private Object shift(Object msg) {
        List<?> l = (List<?>) msg;
        if (offset == 0 || !(l.get(3) instanceof Map<?, ?> res)) {
            return msg;
        }
        Map<Object, Object> m = new LinkedHashMap<>(res);
        m.computeIfPresent("Id", (k, v) -> (Long) v + offset);
        m.computeIfPresent("EventId", (k, v) -> (Long) v + offset);
        List<Object> out = new ArrayList<>(l);
        out.set(3, m);
        return out;
    }

    /** Decoded maps came from wire maps: keep even the empty ones maps when re-packing. */
    static Object explicitMaps(Object v) {
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(explicitMaps(x)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = KongPacker.explicitMap(Map.of());
            m.forEach((k, x) -> out.put(k, explicitMaps(x)));
            return out;
        }
        return v;
    }

    /** Maps the ids in a (re-encoded) Kong request back to the recorded ones. */
    private Object unmap(List<?> msg) {
        List<Object> out = new ArrayList<>(msg);
        List<Object> params = new ArrayList<>((List<?>) msg.get(3));
        Object p0 = params.get(0);
        if (p0 instanceof Long id) {
            params.set(0, id - offset);
        } else if (p0 instanceof Map<?, ?> pm) {
            Map<Object, Object> m = KongPacker.explicitMap(pm);
            m.computeIfPresent("InstanceId", (k, v) -> (Long) v - offset);
            m.computeIfPresent("EventId", (k, v) -> (Long) v - offset);
            params.set(0, m);
        }
        out.set(3, params);
        return out;
    }
}
