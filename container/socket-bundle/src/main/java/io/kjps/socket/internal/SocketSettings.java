package io.kjps.socket.internal;

import io.kjps.rpc.dispatch.DispatcherSettings;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Function;

/**
 * The socket bundle's settings, read from framework properties (the launcher sets them from its flags):
 * <ul>
 *   <li>{@code kjps.socket}: the socket path (required);</li>
 *   <li>{@code kjps.socket.mode}: file mode of the socket, default {@code rw-rw----};</li>
 *   <li>{@code kjps.socket.takeover.ms}: how long to wait for a live server on the same path to stop (a
 *       {@code kong reload} overlap) before refusing, default 5000;</li>
 *   <li>{@code kjps.plugin.wait.ms}, {@code kjps.handler.timeout.ms}, {@code kjps.abandon.timeout.ms},
 *       {@code kjps.fail.open}: see {@link DispatcherSettings};</li>
 *   <li>{@code kjps.instance.idle.ms}: instances unused this long are dropped, default 3600000;</li>
 *   <li>{@code kjps.drain.ms}: how long a stop waits for events in flight, default 10000.</li>
 * </ul>
 *
 * @param socket the socket path
 * @param socketMode the socket file's permissions
 * @param takeoverMillis wait for a live server on the path
 * @param dispatcher dispatcher timeouts and policy
 * @param instanceIdleMillis idle instance expiry
 * @param drainMillis stop's wait for events in flight
 */
public record SocketSettings(Path socket, String socketMode, long takeoverMillis, DispatcherSettings dispatcher,
                             long instanceIdleMillis, long drainMillis) {

    /**
     * @param property reads a framework property, {@code null} when unset
     * @return the settings
     * @throws IllegalArgumentException for a missing socket path or a malformed number
     */
    public static SocketSettings from(Function<String, String> property) {
        String socket = property.apply("kjps.socket");
        if (socket == null || socket.isBlank()) {
            throw new IllegalArgumentException("framework property kjps.socket (the socket path) is not set");
        }
        DispatcherSettings d = DispatcherSettings.DEFAULT;
        DispatcherSettings dispatcher = new DispatcherSettings(
                number(property, "kjps.plugin.wait.ms", d.pluginWaitMillis()),
                number(property, "kjps.handler.timeout.ms", d.handlerTimeoutMillis()),
                number(property, "kjps.abandon.timeout.ms", d.abandonTimeoutMillis()),
                !Boolean.parseBoolean(property.apply("kjps.fail.open")));
        String mode = property.apply("kjps.socket.mode");
        return new SocketSettings(Paths.get(socket).toAbsolutePath(), mode == null ? "rw-rw----" : mode,
                number(property, "kjps.socket.takeover.ms", 5_000), dispatcher,
                number(property, "kjps.instance.idle.ms", 3_600_000), number(property, "kjps.drain.ms", 10_000));
    }

    private static long number(Function<String, String> property, String key, long dflt) {
        String v = property.apply(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("framework property " + key + " must be a whole number, got " + v);
        }
    }
}
