package io.kjps.socket.internal;

import io.kjps.listener.HandOver;
import io.kjps.listener.ListeningSocket;
import io.kjps.rpc.dispatch.DispatcherSettings;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The socket bundle's settings, read from framework properties (the launcher sets them from its flags):
 * <ul>
 *   <li>{@code kjps.socket}, {@code kjps.socket.mode}, {@code kjps.socket.group}, {@code kjps.socket.takeover.ms}:
 *       the listening socket, see {@link ListeningSocket};</li>
 *   <li>{@code kjps.socket.inherited}: {@code true} when the keeper process bound the socket and handed it over as
 *       standard input ({@link HandOver}); then this bundle neither binds nor removes anything;</li>
 *   <li>{@code kjps.socket.allowed.uids}: comma-separated peer user ids allowed to connect, default unset: any
 *       peer the file mode lets in; a refused peer is closed at once;</li>
 *   <li>{@code kjps.plugin.wait.ms}, {@code kjps.handler.timeout.ms}, {@code kjps.abandon.timeout.ms},
 *       {@code kjps.fail.open}: see {@link DispatcherSettings}; a call waits for its plugin only while the plugin is
 *       about to be served ({@link PluginExpectations}), else it is answered at once;</li>
 *   <li>{@code kjps.fail.open.<plugin-name>}: {@code true} or {@code false}, overrides {@code kjps.fail.open}
 *       for one plugin (read when that plugin fails);</li>
 *   <li>{@code kjps.instance.idle.ms}: instances unused this long are dropped, default 3600000;</li>
 *   <li>{@code kjps.drain.ms}: how long a stop waits for events in flight, default 10000;</li>
 *   <li>{@code kjps.update.confirm.ms}: how long an updated bundle may take to serve its plugins again before it is
 *       rolled back to the revision served before, default 2000 (keep it below {@code kjps.plugin.wait.ms}, so that
 *       events waiting for the plugin run on the revision put back; see {@link UpdateGuard});</li>
 *   <li>{@code kjps.handler.threads}: the most threads at once that hold Kong's connections and run the phase
 *       methods (a connection's thread runs its events, see {@code RpcConnection}), default 65536; a connection
 *       beyond it is closed with an ERROR line.</li>
 * </ul>
 *
 * @param listening the listening socket's path, mode, group and takeover wait
 * @param inherited whether the socket was handed over by the keeper rather than bound here
 * @param dispatcher dispatcher timeouts and policy
 * @param instanceIdleMillis idle instance expiry
 * @param drainMillis stop's wait for events in flight
 * @param allowedUids the peer user ids allowed to connect; empty for any
 * @param updateConfirmMillis how long an update may take to serve its plugins before it is rolled back
 * @param handlerThreads the most connection and handler threads at once
 */
public record SocketSettings(ListeningSocket listening, boolean inherited, DispatcherSettings dispatcher,
                             long instanceIdleMillis, long drainMillis, Set<Long> allowedUids,
                             long updateConfirmMillis, int handlerThreads) {

    /** The default of {@code kjps.handler.threads}. */
    public static final int DEFAULT_HANDLER_THREADS = 65_536;

    /** @return the socket path */
    public Path socket() {
        return listening.path();
    }

    /**
     * @param property reads a framework property, {@code null} when unset
     * @return the settings
     * @throws IllegalArgumentException for a missing socket path or a malformed number
     */
    public static SocketSettings from(Function<String, String> property) {
        ListeningSocket listening = ListeningSocket.from(property);
        DispatcherSettings d = DispatcherSettings.DEFAULT;
        DispatcherSettings dispatcher = new DispatcherSettings(
                number(property, "kjps.plugin.wait.ms", d.pluginWaitMillis()),
                number(property, "kjps.handler.timeout.ms", d.handlerTimeoutMillis()),
                number(property, "kjps.abandon.timeout.ms", d.abandonTimeoutMillis()),
                !Boolean.parseBoolean(property.apply("kjps.fail.open")), name -> failOpen(property, name));
        return new SocketSettings(listening, Boolean.parseBoolean(property.apply(HandOver.INHERITED)), dispatcher,
                number(property, "kjps.instance.idle.ms", 3_600_000), number(property, "kjps.drain.ms", 10_000),
                uids(property.apply("kjps.socket.allowed.uids")), number(property, "kjps.update.confirm.ms", 2_000),
                positive(property, "kjps.handler.threads", DEFAULT_HANDLER_THREADS));
    }

    private static Boolean failOpen(Function<String, String> property, String pluginName) {
        String v = property.apply("kjps.fail.open." + pluginName);
        return v == null || v.isBlank() ? null : Boolean.valueOf(v.trim());
    }

    private static Set<Long> uids(String list) {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        Set<Long> uids = new TreeSet<>();
        for (String part : list.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                long uid = Long.parseLong(part.trim());
                if (uid < 0) {
                    throw new NumberFormatException();
                }
                uids.add(uid);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("framework property kjps.socket.allowed.uids must list user ids "
                        + "separated by commas, got " + list);
            }
        }
        return Collections.unmodifiableSet(uids);
    }

    private static int positive(Function<String, String> property, String key, int dflt) {
        long n = number(property, key, dflt);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("framework property " + key + " must be between 1 and "
                    + Integer.MAX_VALUE + ", got " + n);
        }
        return (int) n;
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
