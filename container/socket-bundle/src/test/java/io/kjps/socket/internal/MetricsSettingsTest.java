package io.kjps.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsSettingsTest {

    private static MetricsSettings of(Map<String, String> properties) {
        return MetricsSettings.from(properties::get);
    }

    @Test
    void byDefaultMetricsAreRecordedAndNotServedOverHttp() {
        assertEquals(new MetricsSettings(true, null, 0, null, 500), of(Map.of()));
        assertEquals(new MetricsSettings(false, null, 0, null, 500), of(Map.of("kjps.metrics", "false")));
    }

    @Test
    void loopbackAddressesAreServed() {
        assertEquals(new MetricsSettings(true, "127.0.0.1", 9543, null, 500), of(Map.of("kjps.metrics.http", "127.0.0.1:9543")));
        assertEquals(new MetricsSettings(true, "::1", 0, null, 500), of(Map.of("kjps.metrics.http", "[::1]:0")));
        assertEquals(new MetricsSettings(true, "localhost", 9543, null, 500), of(Map.of("kjps.metrics.http", "localhost:9543")));
    }

    @Test
    void aPathIsAUnixSocket() {
        assertEquals(new MetricsSettings(true, null, 0, java.nio.file.Path.of("/run/kjps/metrics.sock"), 500),
                of(Map.of("kjps.metrics.http", "/run/kjps/metrics.sock")));
        assertEquals(java.nio.file.Path.of("m.sock").toAbsolutePath(),
                of(Map.of("kjps.metrics.http", "./m.sock")).httpSocket());
    }

    @Test
    void aPublicAddressIsRefusedUnlessAskedFor() {
        assertEquals("kjps.metrics.http=0.0.0.0:9543 is not a loopback address: the metrics are not served over HTTP. "
                + "Serve them on 127.0.0.1, or set kjps.metrics.http.public=true to expose them on 0.0.0.0",
                assertThrows(IllegalArgumentException.class,
                        () -> of(Map.of("kjps.metrics.http", "0.0.0.0:9543"))).getMessage());
        assertEquals(new MetricsSettings(true, "0.0.0.0", 9543, null, 500),
                of(Map.of("kjps.metrics.http", "0.0.0.0:9543", "kjps.metrics.http.public", "true")));
    }

    @Test
    void malformedValuesSayWhatIsExpected() {
        assertEquals("kjps.metrics.http must be host:port (for example 127.0.0.1:9543) or a unix socket path, got 9543",
                assertThrows(IllegalArgumentException.class, () -> of(Map.of("kjps.metrics.http", "9543")))
                        .getMessage());
        assertEquals("kjps.metrics.http: port must be 0 to 65535, got 127.0.0.1:http",
                assertThrows(IllegalArgumentException.class, () -> of(Map.of("kjps.metrics.http", "127.0.0.1:http")))
                        .getMessage());
        assertEquals("kjps.slow.event.ms must be a whole number of milliseconds, got soon",
                assertThrows(IllegalArgumentException.class, () -> of(Map.of("kjps.slow.event.ms", "soon")))
                        .getMessage());
    }

    @Test
    void theSlowEventThresholdCanBeChangedOrTurnedOff() {
        assertEquals(100, of(Map.of("kjps.slow.event.ms", "100")).slowEventMillis());
        assertEquals(Long.MAX_VALUE, of(Map.of("kjps.slow.event.ms", "-1")).slowEventMillis());
    }
}
