package io.kjps.launcher.internal;

import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT handling through {@code sun.misc.Signal} (module {@code jdk.unsupported}).
 *
 * <p>Kong 3.x stops its servers with SIGTERM (protocol.md §3.5). The JVM's default reaction runs the shutdown hooks and
 * exits with status 143; handling the signal ourselves lets the launcher stop the framework in order and exit
 * with 0.
 */
public final class Signals {

    private static final Logger LOG = Logger.getLogger(Signals.class.getName());

    private Signals() {
    }

    /**
     * Calls {@code handler} with the signal name ({@code "TERM"} or {@code "INT"}) on each such signal, on the JVM's
     * signal dispatch thread.
     */
    public static void onTermination(Consumer<String> handler) {
        on(List.of("TERM", "INT"), handler);
    }

    /**
     * Calls {@code handler} on each SIGHUP, on the JVM's signal dispatch thread (the keeper restarts its server
     * process on it). Without it, SIGHUP ends the JVM.
     */
    public static void onHangup(Consumer<String> handler) {
        on(List.of("HUP"), handler);
    }

    private static void on(List<String> names, Consumer<String> handler) {
        for (String name : names) {
            try {
                Signal.handle(new Signal(name), signal -> handler.accept(signal.getName()));
            } catch (IllegalArgumentException e) {
                // e.g. the JVM runs with -Xrs, or the signal is reserved on this platform
                LOG.warning("cannot handle SIG" + name + ": " + e.getMessage());
            }
        }
    }
}
