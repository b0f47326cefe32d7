package io.kjps.socket.internal;

import io.kjps.rpc.dispatch.Dispatcher;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Function;

/**
 * The metrics' settings, read from framework properties (or system properties, which Felix falls back to):
 * <ul>
 *   <li>{@code kjps.metrics}: {@code false} records nothing (the benchmark's "metrics off"), default {@code true};</li>
 *   <li>{@code kjps.metrics.http}: {@code host:port} to serve {@code GET /metrics} on, or the path of a unix
 *       socket to serve it on (any value with a {@code /}; the file is made owner-only, {@code rw-------}), default
 *       unset: no HTTP endpoint. Only a loopback address is accepted ({@code 127.0.0.1:9543}, {@code [::1]:9543},
 *       {@code localhost:9543}) unless {@code kjps.metrics.http.public=true}; port 0 picks a free one;</li>
 *   <li>{@code kjps.slow.event.ms}: an event that takes this long logs one WARNING line with its PDK calls, default
 *       500; 0 logs every event, a negative value none.</li>
 * </ul>
 *
 * @param enabled whether to record metrics
 * @param httpHost the endpoint's host, or {@code null} for no endpoint
 * @param httpPort the endpoint's port
 * @param httpSocket the endpoint's unix socket, or {@code null} for none
 * @param slowEventMillis the slow-event threshold, {@code Long.MAX_VALUE} for never
 */
record MetricsSettings(boolean enabled, String httpHost, int httpPort, java.nio.file.Path httpSocket,
                       long slowEventMillis) {

    /**
     * @param property reads a framework property, {@code null} when unset
     * @return the settings
     * @throws IllegalArgumentException for a malformed value, or a non-loopback address without the opt-in; the
     *         message says which property and why
     */
    static MetricsSettings from(Function<String, String> property) {
        boolean enabled = !"false".equalsIgnoreCase(trim(property.apply("kjps.metrics")));
        long slow = Dispatcher.DEFAULT_SLOW_EVENT_MILLIS;
        String s = trim(property.apply("kjps.slow.event.ms"));
        if (s != null) {
            try {
                slow = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("kjps.slow.event.ms must be a whole number of milliseconds, got "
                        + s);
            }
        }
        if (slow < 0) {
            slow = Long.MAX_VALUE;
        }
        String http = trim(property.apply("kjps.metrics.http"));
        if (http == null) {
            return new MetricsSettings(enabled, null, 0, null, slow);
        }
        if (http.indexOf('/') >= 0) {
            return new MetricsSettings(enabled, null, 0, java.nio.file.Path.of(http).toAbsolutePath().normalize(), slow);
        }
        int colon = http.lastIndexOf(':');
        if (colon <= 0 || colon == http.length() - 1) {
            throw new IllegalArgumentException("kjps.metrics.http must be host:port (for example 127.0.0.1:9543) "
                    + "or a unix socket path, got " + http);
        }
        String host = http.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(http.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("kjps.metrics.http: port must be 0 to 65535, got " + http);
        }
        boolean loopback;
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            loopback = all.length > 0;
            for (InetAddress a : all) {
                loopback &= a.isLoopbackAddress();
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("kjps.metrics.http: unknown host " + host);
        }
        if (!loopback && !Boolean.parseBoolean(trim(property.apply("kjps.metrics.http.public")))) {
            throw new IllegalArgumentException("kjps.metrics.http=" + http + " is not a loopback address: the "
                    + "metrics are not served over HTTP. Serve them on 127.0.0.1, or set "
                    + "kjps.metrics.http.public=true to expose them on " + host);
        }
        return new MetricsSettings(enabled, host, port, null, slow);
    }

    private static String trim(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}
