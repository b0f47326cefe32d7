package io.kjps.socket.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What happened to the plugins that an operator must know about: refused bundles and updates that changed what
 * Kong read at its start. Each notice is also logged; this keeps the last ones for the shell's {@code kong:plugins}
 * and {@code kong:notices}.
 */
final class PluginNotices {
    static final int KEEP = 100;

    private final Deque<String> notices = new ArrayDeque<>();

    /**
     * Records a notice.
     *
     * @param text one line
     */
    synchronized void add(String text) {
        notices.addLast(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + text);
        while (notices.size() > KEEP) {
            notices.removeFirst();
        }
    }

    /** @return the notices kept, oldest first */
    synchronized List<String> all() {
        return new ArrayList<>(notices);
    }
}
