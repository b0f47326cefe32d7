package io.kjps.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.internal.JsonForm;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drives the emulator through a whole recording: one {@link ConfiguredPlugin#handleEvent} per recorded event, the PDK
 * answered with the Data Kong sent in the recording, the server played from the recorded bytes. Everything the
 * emulator sends (StartInstance, CloseInstance after a config change, the retry after "no plugin instance", Step
 * methods, omitted Data, the silence after exit or a raising PDK call) must equal Kong's bytes (up to map key order,
 * which is Lua hash order in Kong and differs between recordings), msgids and connections.
 */
class RecordingDrivenTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"hello-alice.jsonl", "hello-noname.jsonl", "block.jsonl", "pdkcheck.jsonl",
            "pdkcheck-post.jsonl", "pdkcheck-error.jsonl", "restart.jsonl", "config-change-close.jsonl",
            "config-change-reload.jsonl"})
    void emulatorSendsKongsExactBytes(String name) throws Exception {
        Path file = Conversations.file(name);
        List<Map<?, ?>> lines = Conversations.lines(file);
        List<Map<?, ?>> kong = lines.stream().filter(l -> "kong->server".equals(l.get("dir"))).toList();
        Path sock = tmp.resolve("r.sock");
        int events = 0;
        try (TestServer server = new TestServer(sock, new Canned(file))) {
            KongConnectionPool pool = null;
            ConfiguredPlugin plugin = null;
            long lastMsgid = 0;
            String pluginName = null;
            for (Map<?, ?> line : lines) {
                if ("mark".equals(line.get("event")) && String.valueOf(line.get("note")).startsWith("action: SIGTERM")) {
                    server.closeConnections(); // the server process dies with its connections
                }
                if (!"kong->server".equals(line.get("dir"))) {
                    continue;
                }
                List<?> msg = (List<?>) JsonForm.toJava(line.get("msg"));
                long msgid = (Long) msg.get(1);
                String method = (String) msg.get(2);
                Object param = ((List<?>) msg.get(3)).get(0);
                if (pool == null || msgid == 1 && lastMsgid != 0) { // a (new) worker
                    if (pool != null) {
                        pool.close();
                    }
                    pool = new KongConnectionPool(sock);
                    plugin = null;
                }
                lastMsgid = msgid;
                if (method.equals("plugin.StartInstance")) {
                    Map<?, ?> p = (Map<?, ?>) param;
                    pluginName = (String) p.get("Name");
                    if (plugin == null) {
                        plugin = new KongEmulator(new KongClient(pool)).plugin(pluginName, (String) p.get("Config"));
                    } else {
                        plugin.setConfig((String) p.get("Config"));
                    }
                } else if (method.equals("plugin.HandleEvent") && !isRetry(kong, line)) {
                    String phase = (String) ((Map<?, ?>) param).get("EventName");
                    RecordedPdk pdk = new RecordedPdk(stepsOf(kong, line));
                    EventOutcome o = plugin.handleEvent(phase, pdk);
                    assertTrue(pdk.steps.isEmpty(), "unused recorded steps " + pdk.steps);
                    events++;
                    assertTrue(o.ending() != EventOutcome.Ending.ERROR, o.toString());
                }
            }
            if (pool != null) {
                pool.close();
            }
            List<TestServer.Received> got = server.received;
            assertEquals(kong.size(), got.size(), "messages sent");
            for (int i = 0; i < kong.size(); i++) {
                assertEquals(Canon.hex(Conversations.hex(kong.get(i))), Canon.hex(got.get(i).raw()),
                        name + " seq " + kong.get(i).get("seq"));
                assertEquals(((Number) kong.get(i).get("conn")).intValue(), got.get(i).conn(),
                        name + " seq " + kong.get(i).get("seq") + ": connection");
            }
        }
        assertTrue(events > 0);
    }

    /** A HandleEvent is Kong's retry when the previous HandleEvent got a "no plugin instance" answer. */
    private static boolean isRetry(List<Map<?, ?>> kong, Map<?, ?> handleEvent) {
        Map<?, ?> prev = null;
        for (Map<?, ?> k : kong) {
            if (k == handleEvent) {
                break;
            }
            if ("plugin.HandleEvent".equals(((List<?>) k.get("msg")).get(2))) {
                prev = k;
            }
        }
        return prev != null && nextMethodIs(kong, prev, "plugin.StartInstance")
                && kong.indexOf(handleEvent) == kong.indexOf(prev) + 2;
    }

    private static boolean nextMethodIs(List<Map<?, ?>> kong, Map<?, ?> m, String method) {
        int i = kong.indexOf(m);
        return i + 1 < kong.size() && method.equals(((List<?>) kong.get(i + 1).get("msg")).get(2));
    }

    /**
     * The Step messages Kong sent for the event that starts at this HandleEvent (after its retry, if any), up to
     * the next non-Step message.
     */
    private static ArrayDeque<Object[]> stepsOf(List<Map<?, ?>> kong, Map<?, ?> handleEvent) {
        int i = kong.indexOf(handleEvent) + 1;
        if (i + 1 < kong.size() && "plugin.StartInstance".equals(((List<?>) kong.get(i).get("msg")).get(2))
                && "plugin.HandleEvent".equals(((List<?>) kong.get(i + 1).get("msg")).get(2))) {
            i += 2; // "no plugin instance" → StartInstance → HandleEvent again
        }
        ArrayDeque<Object[]> out = new ArrayDeque<>();
        for (; i < kong.size(); i++) {
            List<?> msg = (List<?>) JsonForm.toJava(kong.get(i).get("msg"));
            if (!((String) msg.get(2)).startsWith("plugin.Step")) {
                break;
            }
            Map<?, ?> p = (Map<?, ?>) ((List<?>) msg.get(3)).get(0);
            out.add(new Object[] {p.get("Data")});
        }
        return out;
    }

    /** Answers each PDK call with the Data Kong sent next; none left: the call raised (or was terminal). */
    private static final class RecordedPdk implements PdkHandler {
        final ArrayDeque<Object[]> steps;
        final List<String> calls = new ArrayList<>();

        RecordedPdk(ArrayDeque<Object[]> steps) {
            this.steps = steps;
        }

        @Override
        public PdkResult call(String phase, String method, List<Object> args) {
            calls.add(method);
            if (method.equals("kong.response.exit") || method.equals("kong.response.error")) {
                return PdkResult.nil();
            }
            Object[] next = steps.poll();
            return next == null ? PdkResult.raise("no Step recorded after " + method) : PdkResult.of(next[0]);
        }
    }
}
