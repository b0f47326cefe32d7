package io.kjps.samples.faulty;

import io.kjps.pdk.Kong;
import java.util.Map;

/**
 * The faults the {@code faulty} plugins inject, chosen by the request header {@code x-fault}:
 * <ul>
 *   <li>absent: sets {@code x-faulty: ok} and returns;</li>
 *   <li>{@code throw}: throws an {@link IllegalStateException};</li>
 *   <li>{@code error}: throws an {@link Error} ({@code StackOverflowError});</li>
 *   <li>{@code block}: sleeps for an hour (until interrupted);</li>
 *   <li>{@code loop}: spins without any PDK call until its thread is interrupted;</li>
 *   <li>{@code after-exit}: ends the request with {@code exit(403)}, then calls the PDK again, which throws.</li>
 * </ul>
 */
final class Faults {
    private Faults() {
    }

    static void access(Kong kong, FaultyConfig config) throws InterruptedException {
        String fault = kong.request().getHeader("x-fault");
        if (fault == null) {
            kong.response().setHeader("x-faulty", "ok " + config.limit());
            return;
        }
        switch (fault) {
            case "throw" -> throw new IllegalStateException("faulty: thrown on purpose");
            case "error" -> throw new StackOverflowError("faulty: error on purpose");
            case "block" -> Thread.sleep(3_600_000L);
            case "loop" -> {
                long spins = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    spins++;
                }
                throw new InterruptedException("faulty: loop interrupted after " + spins + " spins");
            }
            case "after-exit" -> {
                kong.response().exit(403, "faulty exit", Map.of());
                kong.request().getHeader("x-after-exit");
            }
            default -> kong.response().setHeader("x-faulty", "unknown fault " + fault);
        }
    }
}
