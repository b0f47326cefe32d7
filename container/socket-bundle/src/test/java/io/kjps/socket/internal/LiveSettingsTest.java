package io.kjps.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Which settings the configuration may change while the server runs, and that it wins over the framework's. */
class LiveSettingsTest {
    private static final Map<String, String> FRAMEWORK = Map.of("kjps.handler.timeout.ms", "30000",
            "kjps.socket", "/k/s.sock", "kjps.instance.idle.ms", "1000");

    @Test
    void theConfigurationWinsForLiveKeysAndTheFrameworkAnswersTheRest() {
        Function<String, String> p = LiveSettings.layered(Map.of("kjps.handler.timeout.ms", " 250 ",
                "kjps.socket", "/elsewhere.sock", "kjps.fail.open.hello", "true"), FRAMEWORK::get);
        assertEquals("250", p.apply("kjps.handler.timeout.ms"));
        assertEquals("/k/s.sock", p.apply("kjps.socket"), "the socket is read at start only, never from here");
        assertEquals("1000", p.apply("kjps.instance.idle.ms"), "unset in the configuration: the framework's");
        assertEquals("true", p.apply("kjps.fail.open.hello"));
        assertNull(p.apply("kjps.slow.event.ms"));
        SocketSettings s = SocketSettings.from(p);
        assertEquals(250, s.dispatcher().handlerTimeoutMillis());
        assertFalse(s.dispatcher().failClosedFor("hello"));
        assertTrue(s.dispatcher().failClosedFor("other"));
    }

    @Test
    void startOnlyKeysAreNamedAsIgnoredAndOthersLeftAlone() {
        Map<String, Object> config = Map.of("kjps.socket.mode", "0600", "kjps.plugin.wait.ms", "1",
                "kjps.slow.event.ms", "0", "service.pid", "io.kjps.socket", "felix.fileinstall.filename", "x");
        assertEquals(List.of("kjps.plugin.wait.ms", "kjps.socket.mode"), LiveSettings.ignored(config));
        assertEquals(List.of("kjps.slow.event.ms=0"), LiveSettings.set(config));
        assertFalse(LiveSettings.isLive("kjps.fail.open."), "a plugin name is needed after the prefix");
    }
}
