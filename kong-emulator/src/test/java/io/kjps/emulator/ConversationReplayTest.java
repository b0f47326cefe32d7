package io.kjps.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversationReplayTest {
    @TempDir
    Path tmp;

    private ConversationReplay.Report replay(Path file, TestServer.Handler server, ConversationReplay replay)
            throws Exception {
        Path sock = tmp.resolve("c.sock");
        try (TestServer s = new TestServer(sock, server)) {
            return replay.onAction(note -> {
                if (note.startsWith("action: SIGTERM")) {
                    s.closeConnections();
                }
            }).timeout(Duration.ofSeconds(5)).run(sock);
        }
    }

    @Test
    void everyRecordingReplaysCleanAgainstItsRecordedServer() throws Exception {
        int total = 0;
        for (Path f : Conversations.all()) {
            List<String> actions = new CopyOnWriteArrayList<>();
            Path sock = tmp.resolve("all.sock");
            ConversationReplay.Report r;
            try (TestServer s = new TestServer(sock, new Canned(f))) {
                r = ConversationReplay.load(f).onAction(note -> {
                    actions.add(note);
                    if (note.startsWith("action: SIGTERM")) {
                        s.closeConnections();
                    }
                }).run(sock);
                if (f.getFileName().toString().equals("concurrency.jsonl")) {
                    assertEquals(18, s.accepted());
                }
            }
            assertTrue(r.ok(), r.toString());
            int kong = Conversations.messages(f, "kong->server").size();
            assertEquals(kong, r.sent(), f.toString());
            assertEquals(kong, r.compared(), f.toString());
            total += r.compared();
            if (f.getFileName().toString().equals("restart.jsonl")) {
                assertEquals(2, actions.size(), actions.toString());
            }
        }
        assertEquals(346, total);
    }

    @Test
    void serverChosenIdsAreMappedAndKongsMessagesRepacked() throws Exception {
        for (Path f : Conversations.all()) {
            ConversationReplay.Report r = replay(f, new Canned(f, 100, null), ConversationReplay.load(f));
            assertTrue(r.ok(), r.toString());
        }
    }

    @Test
    void differencesAreReported() throws Exception {
        Path f = Conversations.file("hello-alice.jsonl");
        ConversationReplay.Report r = replay(f, new Canned(f, 0, replaceString("hello Alice", "hello Bob")),
                ConversationReplay.load(f));
        assertEquals(1, r.mismatches().size(), r.toString());
        ConversationReplay.Mismatch m = r.mismatches().get(0);
        assertEquals(7, m.seq());
        assertEquals("plugin.Step", m.method());
        assertEquals("Data differs", m.problem());
        assertFalse(r.ok());

        ConversationReplay.Report ids = replay(f, new Canned(f, 0, msg -> {
            List<Object> l = new ArrayList<>((List<?>) msg);
            if ((Long) l.get(1) == 2) {
                l.set(1, 99L);
            }
            return l;
        }), ConversationReplay.load(f));
        assertEquals("msgid not echoed", ids.mismatches().get(0).problem(), ids.toString());
    }

    @Test
    void aNormalizerAllowsPluginLevelDifferences() throws Exception {
        Path f = Conversations.file("hello-noname.jsonl");
        UnaryOperator<Object> javaStyle = replaceString("hello undefined", "hello null");
        assertEquals(1, replay(f, new Canned(f, 0, javaStyle), ConversationReplay.load(f)).mismatches().size());
        ConversationReplay.Report ok = replay(f, new Canned(f, 0, javaStyle), ConversationReplay.load(f)
                .normalizer(v -> "hello null".equals(v) ? "hello undefined" : v));
        assertTrue(ok.ok(), ok.toString());
    }

    @Test
    void noPluginInstanceTextIsRequiredWhereRecorded() throws Exception {
        Path f = Conversations.file("restart.jsonl");
        ConversationReplay.Report r = replay(f, new Canned(f, 0, replaceString("no plugin instance #0", "boom")),
                ConversationReplay.load(f));
        assertEquals(1, r.mismatches().size(), r.toString());
        assertEquals(19, r.mismatches().get(0).seq());
        assertTrue(r.mismatches().get(0).problem().contains("no plugin instance"));

        ConversationReplay.Report none = replay(f, new Canned(f, 0, msg -> {
            List<Object> l = new ArrayList<>((List<?>) msg);
            if ("no plugin instance #0".equals(l.get(2))) { // a server that was never restarted
                l.set(2, null);
                l.set(3, Map.of("Data", "ret", "EventId", 0L));
            }
            return l;
        }), ConversationReplay.load(f));
        assertEquals("error", none.mismatches().get(0).problem());
    }

    @Test
    void noServerMeansEveryMessageFails() throws Exception {
        Path f = Conversations.file("block.jsonl");
        ConversationReplay.Report r = ConversationReplay.load(f).run(tmp.resolve("nobody.sock"));
        assertEquals(5, r.mismatches().size(), r.toString());
        assertEquals(0, r.sent());
        assertTrue(r.mismatches().get(0).problem().startsWith("cannot send"));
    }

    /** Replaces a string anywhere in a response. */
    private static UnaryOperator<Object> replaceString(String from, String to) {
        return new UnaryOperator<>() {
            @Override
            public Object apply(Object v) {
                if (from.equals(v)) {
                    return to;
                }
                if (v instanceof List<?> l) {
                    List<Object> out = new ArrayList<>();
                    l.forEach(x -> out.add(apply(x)));
                    return out;
                }
                if (v instanceof Map<?, ?> m) {
                    Map<Object, Object> out = new java.util.LinkedHashMap<>();
                    m.forEach((k, x) -> out.put(k, apply(x)));
                    return out;
                }
                return v;
            }
        };
    }
}
