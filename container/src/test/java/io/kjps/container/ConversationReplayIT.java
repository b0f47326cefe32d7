package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.ConversationReplay;
import io.kjps.recordings.Recordings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays Kong's side of every recorded conversation ({@link Recordings}, Kong 3.9.3's
 * real client against the JavaScript reference server) against a fresh server process running the Java samples,
 * and compares the answers as Kong reads them. The samples reproduce the recorded JS plugins exactly, so no
 * normaliser is needed.
 */
class ConversationReplayIT {

    static List<String> recordings() {
        return Recordings.NAMES;
    }

    @ParameterizedTest
    @MethodSource("recordings")
    void replay(String name) throws Exception {
        Path prefix = ServerProcess.newPrefix();
        // pdkcheck-error abandons an event (Kong raised in Lua): let it go quickly so the stop below is prompt
        String opts = "-Dkjps.abandon.timeout.ms=2000";
        AtomicReference<ServerProcess> server = new AtomicReference<>(ServerProcess.start(prefix, opts, pluginOf(name)));
        try {
            ConversationReplay replay = ConversationReplay.load(Recordings.conversation(name))
                    .onAction(note -> {
                        if (note.contains("SIGTERM") || note.contains("kill")) {
                            assertEquals(0, server.get().stop(), "exit status after SIGTERM");
                            server.set(ServerProcess.start(prefix, opts, pluginOf(name)));
                        }
                    });
            ConversationReplay.Report report = replay.run(server.get().socket());
            assertTrue(report.ok(), report + "\nserver log:\n" + tail(server.get()));
            assertTrue(report.compared() > 0, "answers were compared");
        } finally {
            server.get().close();
        }
    }

    private static String pluginOf(String conversation) {
        return conversation.startsWith("pdkcheck") ? "pdkcheck"
                : conversation.startsWith("block") ? "block" : "hello";
    }

    private static String tail(ServerProcess s) throws IOException {
        String log = s.logText();
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }
}
