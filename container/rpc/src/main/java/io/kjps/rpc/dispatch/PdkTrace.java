package io.kjps.rpc.dispatch;

import java.util.concurrent.TimeUnit;

/**
 * The PDK calls of the event running on the current thread, with their round-trip times, for the slow-event log.
 * One per thread, reused by every event that thread runs (a thread runs one phase method at a time), so recording
 * allocates nothing. Only the thread running the event writes it.
 */
final class PdkTrace {
    /** Calls kept per event; more are counted, not listed. */
    static final int KEPT = 32;
    /** The round trip recorded for a terminal call, which has none. */
    static final long TERMINAL = -1;
    /** The round trip recorded for a call Kong never answered (abandoned, or the event was ended meanwhile). */
    static final long NO_ANSWER = -2;

    private static final ThreadLocal<PdkTrace> CURRENT = ThreadLocal.withInitial(PdkTrace::new);

    private final String[] methods = new String[KEPT];
    private final long[] nanos = new long[KEPT];
    private int count;
    private long totalNanos;

    private PdkTrace() {
    }

    /** @return this thread's trace, emptied */
    static PdkTrace begin() {
        PdkTrace t = CURRENT.get();
        t.count = 0;
        t.totalNanos = 0;
        return t;
    }

    void add(String method, long roundTripNanos) {
        if (count < KEPT) {
            methods[count] = method;
            nanos[count] = roundTripNanos;
        }
        count++;
        if (roundTripNanos > 0) {
            totalNanos += roundTripNanos;
        }
    }

    /** @return how many calls were made */
    int count() {
        return count;
    }

    /** @return the calls, for a log line: {@code 3 PDK calls, 790 ms in Kong: kong.a 400 ms, ...} */
    String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(count).append(count == 1 ? " PDK call, " : " PDK calls, ").append(millis(totalNanos))
                .append(" in Kong");
        for (int i = 0; i < Math.min(count, KEPT); i++) {
            sb.append(i == 0 ? ": " : ", ").append(methods[i]);
            sb.append(nanos[i] == TERMINAL ? " (ended the event)"
                    : nanos[i] == NO_ANSWER ? " (no answer)" : " " + millis(nanos[i]));
        }
        if (count > KEPT) {
            sb.append(", and ").append(count - KEPT).append(" more");
        }
        return sb.toString();
    }

    /** Drops the references to method names (they may belong to a plugin's class loader). */
    void clear() {
        java.util.Arrays.fill(methods, 0, Math.min(count, KEPT), null);
        count = 0;
    }

    static String millis(long nanos) {
        long micros = TimeUnit.NANOSECONDS.toMicros(nanos);
        return micros / 1000 + "." + String.format("%03d", micros % 1000) + " ms";
    }
}
