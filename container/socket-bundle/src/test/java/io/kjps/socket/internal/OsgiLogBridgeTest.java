package io.kjps.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

class OsgiLogBridgeTest {
    private static final String NAME = "io.kjps.test.osgi-log-bridge";
    private final List<LogRecord> records = new ArrayList<>();
    private final java.util.logging.Logger jul = java.util.logging.Logger.getLogger(NAME);
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        jul.addHandler(capture);
        jul.setUseParentHandlers(false);
    }

    @AfterEach
    void release() {
        jul.removeHandler(capture);
        jul.setUseParentHandlers(true);
        jul.setLevel(null);
    }

    @Test
    void anErrorWithAnExceptionIsOneLineWithItsCauseAndTheTraceGoesToDebug() {
        jul.setLevel(Level.INFO);
        Logger logger = new OsgiLogBridge().getLogger(NAME, Logger.class);
        IllegalStateException e = new IllegalStateException("outer", new java.io.IOException("disk\nsecond line"));
        logger.error("component {} failed", "c1", e);
        assertEquals(1, records.size(), "the trace is not written at INFO");
        LogRecord r = records.get(0);
        assertEquals(Level.SEVERE, r.getLevel());
        assertEquals("component c1 failed; caused by java.lang.IllegalStateException: outer"
                + " (root cause java.io.IOException: disk)", r.getMessage());
        assertNull(r.getThrown());
    }

    @Test
    void withDebugTheTraceFollowsAsADebugEntry() {
        jul.setLevel(Level.FINE);
        Logger logger = new OsgiLogBridge().getLogger(NAME, Logger.class);
        RuntimeException e = new RuntimeException("boom");
        logger.error("activation failed", (Object) e);
        assertEquals(2, records.size());
        assertEquals("activation failed; caused by java.lang.RuntimeException: boom", records.get(0).getMessage());
        assertEquals(Level.FINE, records.get(1).getLevel());
        assertSame(e, records.get(1).getThrown());
    }

    @Test
    void belowErrorOnlyWithDebug() {
        jul.setLevel(Level.INFO);
        Logger logger = new OsgiLogBridge().getLogger(NAME, Logger.class);
        logger.warn("a warning");
        logger.info("some info");
        assertFalse(logger.isWarnEnabled());
        assertTrue(logger.isErrorEnabled());
        assertEquals(List.of(), records);
        jul.setLevel(Level.FINE);
        logger.warn("a warning {}", 2);
        assertEquals(1, records.size());
        assertEquals(Level.WARNING, records.get(0).getLevel());
        assertEquals("a warning 2", records.get(0).getMessage());
    }

    @Test
    void placeholders() {
        assertEquals("a 1 b 2 c {}", OsgiLogBridge.format("a {} b {} c {}", List.of(1, 2)));
        assertEquals("literal {} then 1", OsgiLogBridge.format("literal \\{} then {}", List.of(1)));
    }
}
