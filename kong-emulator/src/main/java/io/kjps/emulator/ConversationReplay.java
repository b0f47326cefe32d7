package io.kjps.emulator;

import io.kjps.emulator.internal.JsonForm;
import io.kjps.emulator.internal.KongConnection;
import io.kjps.emulator.internal.LuaJson;
import io.kjps.emulator.internal.LuaValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Replays Kong's side of a recorded conversation ({@code kong-recordings/conversations/*.jsonl}) against a
 * running plugin server and compares its answers with the recorded ones the way Kong looks at them (conversations
 * README, "Replaying"):
 * <ul>
 *   <li>Kong's messages are sent in {@code seq} order, each on a real connection per recorded {@code conn}, opened
 *       at first use and closed at the recorded {@code kong closed} / {@code server closed} event.</li>
 *   <li>After each message the server's answer is read on that connection ({@code serverPid} notifications
 *       skipped), but only when the recording has an answer for it: nothing is awaited where Kong got none.</li>
 *   <li>Instance and event ids are the server's choice: the recorded {@code Id}/{@code EventId} values are mapped to
 *       the ones the server returned. When the mapping changes nothing the recorded bytes are sent as they are,
 *       otherwise the message is re-packed with {@link KongPacker}.</li>
 *   <li>Compared: the msgid echo; {@code error} nil or a string, containing "no plugin instance" where the
 *       recording does; StartInstance returns an integer {@code Id}; HandleEvent/Step* return equal {@code Data}
 *       (numbers by value, maps in any key order, str/bin by bytes, after the {@link Normalizer}); HandleEvent returns
 *       an {@code EventId}.</li>
 *   <li>At every {@code action:} mark the {@link ActionHook} runs (restart.jsonl needs the server restarted at
 *       {@code action: SIGTERM to the plugin server ...}).</li>
 * </ul>
 * Plugin-level differences that are not wire bugs (the JS peer renders nil as {@code "undefined"}) are the caller's to
 * allow, through the normalizer.
 */
public final class ConversationReplay {

    /**
     * Rewrites a value before comparison, applied to the recorded and the live {@code Data} alike, top-down on every
     * node (the whole Data first, then each list element, map key and map value of the result).
     */
    @FunctionalInterface
    public interface Normalizer {
        /**
         * @param value a value or sub-value
         * @return the value to compare instead (return it unchanged by default)
         */
        Object normalize(Object value);
    }

    /** Acts on a recorded {@code action:} mark, e.g. restarts the server. */
    @FunctionalInterface
    public interface ActionHook {
        /**
         * @param note the mark's text, e.g. {@code action: SIGTERM to the plugin server process ...}
         * @throws Exception to abort the replay
         */
        void onAction(String note) throws Exception;
    }

    /**
     * One difference.
     *
     * @param seq      the {@code seq} of Kong's message whose answer differs
     * @param conn     its recorded connection
     * @param method   its RPC method
     * @param problem  what differs
     * @param expected the recorded value (JSON form turned into Java values), or null
     * @param actual   the live value, or null
     */
    public record Mismatch(int seq, int conn, String method, String problem, Object expected, Object actual) {
        @Override
        public String toString() {
            return "seq " + seq + " " + method + " (conn " + conn + "): " + problem
                    + (expected != null || actual != null ? "; expected " + expected + ", actual " + actual : "");
        }
    }

    /**
     * The replay's result.
     *
     * @param conversation the file name
     * @param sent         Kong messages sent
     * @param compared     answers read and compared
     * @param mismatches   every difference, in order; empty means the server answered like the recording
     */
    public record Report(String conversation, int sent, int compared, List<Mismatch> mismatches) {
        /**
         * Makes {@code mismatches} unmodifiable.
         *
         * @param conversation the file name
         * @param sent         Kong messages sent
         * @param compared     answers read and compared
         * @param mismatches   every difference
         */
        public Report {
            mismatches = List.copyOf(mismatches);
        }

        /** @return whether there is no mismatch */
        public boolean ok() {
            return mismatches.isEmpty();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(conversation + ": " + sent + " sent, " + compared + " compared, "
                    + mismatches.size() + " mismatch(es)");
            mismatches.forEach(m -> sb.append("\n  ").append(m));
            return sb.toString();
        }
    }

    private final String name;
    private final List<Map<?, ?>> lines;
    private Normalizer normalizer = v -> v;
    private ActionHook actionHook = note -> { };
    private Duration timeout = Duration.ofSeconds(10);

    private ConversationReplay(String name, List<Map<?, ?>> lines) {
        this.name = name;
        this.lines = lines;
    }

    /**
     * @param jsonl a recorded conversation
     * @return a replay of it (not started)
     * @throws IOException when the file cannot be read
     */
    public static ConversationReplay load(Path jsonl) throws IOException {
        List<Map<?, ?>> lines = new ArrayList<>();
        for (String l : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            if (!l.isBlank()) {
                lines.add((Map<?, ?>) LuaJson.parse(l));
            }
        }
        lines.sort((a, b) -> Long.compare(num(a.get("seq")), num(b.get("seq"))));
        return new ConversationReplay(jsonl.getFileName().toString(), lines);
    }

    /**
     * @param n the normalizer for compared Data
     * @return this
     */
    public ConversationReplay normalizer(Normalizer n) {
        this.normalizer = Objects.requireNonNull(n);
        return this;
    }

    /**
     * @param h what to do at {@code action:} marks (default: nothing)
     * @return this
     */
    public ConversationReplay onAction(ActionHook h) {
        this.actionHook = Objects.requireNonNull(h);
        return this;
    }

    /**
     * @param t how long to wait for each answer (default 10 s)
     * @return this
     */
    public ConversationReplay timeout(Duration t) {
        this.timeout = Objects.requireNonNull(t);
        return this;
    }

    /**
     * Runs the replay.
     *
     * @param socket the server's socket file
     * @return the report
     * @throws IllegalStateException when the action hook fails
     */
    public Report run(Path socket) {
        Map<Long, Map<?, ?>> answers = pairAnswers();
        Map<Integer, KongConnection> conns = new HashMap<>();
        Map<Long, Object> instMap = new HashMap<>();
        Map<Long, Object> evMap = new HashMap<>();
        List<Mismatch> mismatches = new ArrayList<>();
        int sent = 0;
        int compared = 0;
        int serial = 0;
        long timeoutMillis = Math.max(1, timeout.toMillis());
        try {
            for (Map<?, ?> line : lines) {
                Object event = line.get("event");
                int conn = line.get("conn") == null ? 0 : (int) num(line.get("conn"));
                if ("mark".equals(event)) {
                    String note = String.valueOf(line.get("note"));
                    if (note.startsWith("action:")) {
                        try {
                            actionHook.onAction(note);
                        } catch (Exception e) {
                            throw new IllegalStateException("action hook failed at seq " + line.get("seq"), e);
                        }
                    }
                    continue;
                }
                if ("kong closed".equals(event) || "server closed".equals(event)) {
                    KongConnection c = conns.remove(conn);
                    if (c != null) {
                        c.close();
                    }
                    continue;
                }
                if (!"kong->server".equals(line.get("dir"))) {
                    continue;
                }
                int seq = (int) num(line.get("seq"));
                List<?> msg = (List<?>) JsonForm.toJava(line.get("msg"));
                String method = (String) msg.get(2);
                List<Object> params = new ArrayList<>((List<?>) msg.get(3));
                boolean changed = mapIds(method, params, instMap, evMap);
                byte[] wire = changed
                        ? KongPacker.pack(List.of(msg.get(0), msg.get(1), method, params))
                        : HexFormat.of().parseHex((String) line.get("hex"));
                KongConnection c = conns.get(conn);
                try {
                    if (c == null) {
                        c = KongConnection.open(socket, ++serial);
                        conns.put(conn, c);
                    }
                    c.write(wire, timeoutMillis);
                    sent++;
                } catch (IOException e) {
                    mismatches.add(new Mismatch(seq, conn, method, "cannot send: " + e.getMessage(), null, null));
                    drop(conns, conn);
                    continue;
                }
                Map<?, ?> answer = answers.get((long) seq);
                if (answer == null) {
                    continue; // Kong got no answer here (none recorded): read nothing
                }
                compared++;
                Object live;
                try {
                    live = readAnswer(c, timeoutMillis);
                } catch (IOException | KongProtocolException e) {
                    mismatches.add(new Mismatch(seq, conn, method, "no answer: " + e.getMessage(), null, null));
                    drop(conns, conn);
                    continue;
                }
                List<?> rec = (List<?>) JsonForm.toJava(answer.get("msg"));
                compare(seq, conn, method, rec, live, mismatches);
                learnIds(method, rec, live, instMap, evMap);
            }
        } finally {
            conns.values().forEach(KongConnection::close);
        }
        return new Report(name, sent, compared, mismatches);
    }

    private static void drop(Map<Integer, KongConnection> conns, int conn) {
        KongConnection c = conns.remove(conn);
        if (c != null) {
            c.close();
        }
    }

    private static Object readAnswer(KongConnection c, long timeoutMillis) throws IOException {
        while (true) {
            Object v = c.read(timeoutMillis);
            if (v instanceof List<?> l && !l.isEmpty() && Long.valueOf(2).equals(l.get(0))) {
                continue; // notification (serverPid)
            }
            return v;
        }
    }

    /** seq of each Kong message → the server's response to it on the same connection, if recorded. */
    private Map<Long, Map<?, ?>> pairAnswers() {
        Map<Long, Map<?, ?>> out = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Map<?, ?> r = lines.get(i);
            if (!"kong->server".equals(r.get("dir"))) {
                continue;
            }
            Object conn = r.get("conn");
            for (int j = i + 1; j < lines.size(); j++) {
                Map<?, ?> r2 = lines.get(j);
                if (!Objects.equals(conn, r2.get("conn"))) {
                    continue;
                }
                if ("kong->server".equals(r2.get("dir")) || r2.get("event") != null) {
                    break; // Kong moved on (or the connection closed): no answer recorded
                }
                if ("server->kong".equals(r2.get("dir")) && r2.get("msg") instanceof List<?> m
                        && Long.valueOf(1).equals(m.get(0))) {
                    out.put(num(r.get("seq")), r2);
                    break;
                }
            }
        }
        return out;
    }

    private static boolean mapIds(String method, List<Object> params, Map<Long, Object> instMap,
                                  Map<Long, Object> evMap) {
        if (params.isEmpty()) {
            return false;
        }
        Object p0 = params.get(0);
        if (method.equals("plugin.CloseInstance")) {
            Object mapped = map(p0, instMap);
            params.set(0, mapped);
            return !LuaValues.semanticEquals(mapped, p0);
        }
        String key = method.equals("plugin.HandleEvent") ? "InstanceId"
                : method.startsWith("plugin.Step") ? "EventId" : null;
        if (key == null || !(p0 instanceof Map<?, ?> m) || !m.containsKey(key)) {
            return false;
        }
        Object old = m.get(key);
        Object mapped = map(old, key.equals("InstanceId") ? instMap : evMap);
        if (LuaValues.semanticEquals(mapped, old)) {
            return false;
        }
        Map<Object, Object> copy = new LinkedHashMap<>(m);
        copy.put(key, mapped);
        params.set(0, copy);
        return true;
    }

    private static Object map(Object recorded, Map<Long, Object> ids) {
        return recorded instanceof Long l && ids.containsKey(l) ? ids.get(l) : recorded;
    }

    private static void learnIds(String method, List<?> rec, Object live, Map<Long, Object> instMap,
                                 Map<Long, Object> evMap) {
        if (!(live instanceof List<?> l) || l.size() != 4 || l.get(2) != null
                || !(l.get(3) instanceof Map<?, ?> lm) || !(rec.get(3) instanceof Map<?, ?> rm)) {
            return;
        }
        if (method.equals("plugin.StartInstance") && rm.get("Id") instanceof Long r && lm.get("Id") != null) {
            instMap.put(r, lm.get("Id"));
        }
        if (method.equals("plugin.HandleEvent") && rm.get("EventId") instanceof Long r
                && lm.get("EventId") != null) {
            evMap.put(r, lm.get("EventId"));
        }
    }

    private void compare(int seq, int conn, String method, List<?> rec, Object live, List<Mismatch> out) {
        if (!(live instanceof List<?> l) || l.size() != 4 || !Long.valueOf(1).equals(l.get(0))) {
            out.add(new Mismatch(seq, conn, method, "not a response [1, msgid, error, result]", rec, live));
            return;
        }
        if (!LuaValues.semanticEquals(l.get(1), rec.get(1))) {
            out.add(new Mismatch(seq, conn, method, "msgid not echoed", rec.get(1), l.get(1)));
        }
        Object rerr = rec.get(2);
        Object lerr = l.get(2);
        if (lerr != null && !LuaValues.isString(lerr)) {
            out.add(new Mismatch(seq, conn, method, "error is not a string", rerr, lerr));
            return;
        }
        if ((rerr == null) != (lerr == null)) {
            out.add(new Mismatch(seq, conn, method, "error", rerr, lerr));
            return;
        }
        if (rerr != null) {
            if (lower(rerr).contains("no plugin instance") && !lower(lerr).contains("no plugin instance")) {
                out.add(new Mismatch(seq, conn, method, "error must contain 'no plugin instance'", rerr, lerr));
            }
            return;
        }
        Object lres = l.get(3);
        Object rres = rec.get(3);
        if (method.equals("plugin.StartInstance")) {
            if (!(lres instanceof Map<?, ?> lm) || !(lm.get("Id") instanceof Long)) {
                out.add(new Mismatch(seq, conn, method, "StartInstance result without an integer Id", rres, lres));
            }
            return;
        }
        if (method.equals("plugin.CloseInstance")) {
            return; // Kong ignores the result
        }
        if (!(lres instanceof Map<?, ?> lm)) {
            out.add(new Mismatch(seq, conn, method, "result is not a map", rres, lres));
            return;
        }
        Object rdata = rres instanceof Map<?, ?> rm ? rm.get("Data") : null;
        Object ldata = lm.get("Data");
        Object rn = normalize(rdata);
        Object ln = normalize(ldata);
        if (!LuaValues.semanticEquals(rn, ln)) {
            out.add(new Mismatch(seq, conn, method, "Data differs", rn, ln));
        }
        if (method.equals("plugin.HandleEvent") && rres instanceof Map<?, ?> rm2 && rm2.containsKey("EventId")
                && !(lm.get("EventId") instanceof Long)) {
            out.add(new Mismatch(seq, conn, method, "HandleEvent result without an integer EventId",
                    rm2.get("EventId"), lm.get("EventId")));
        }
    }

    private Object normalize(Object v) {
        Object n = normalizer.normalize(v);
        if (n instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(normalize(x)));
            return out;
        }
        if (n instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(normalize(k), normalize(x)));
            return out;
        }
        return n;
    }

    private static String lower(Object s) {
        return LuaValues.tostring(s).toLowerCase(Locale.ROOT);
    }

    private static long num(Object o) {
        return ((Number) o).longValue();
    }

    @Override
    public String toString() {
        return "ConversationReplay[" + name + ", " + lines.size() + " lines]";
    }
}
