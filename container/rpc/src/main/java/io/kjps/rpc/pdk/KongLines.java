package io.kjps.rpc.pdk;

import java.util.Map;

/**
 * The PDK functions that some Kong release line this server supports (2.8 to master) does not have, with the first
 * line that has them. On an older line Kong logs "could not find pdk method" and answers nil, so a typed method that
 * needs a value says why it got none. Sources: Kong's changelogs and PDK reference per version (docs/decisions.md,
 * "PDK functions that older Kong lines lack").
 */
final class KongLines {
    private static final Map<String, String> SINCE = Map.ofEntries(
            Map.entry("kong.plugin.get_id", "3.3"),
            Map.entry("kong.request.get_raw_path", "3.0"),
            Map.entry("kong.request.get_start_time", "3.0"),
            Map.entry("kong.nginx.get_statistics", "3.0"),
            Map.entry("kong.request.get_uri_captures", "3.1"),
            Map.entry("kong.vault.flush", "3.3"),
            Map.entry("kong.vault.update", "3.4"),
            Map.entry("kong.service.set_retries", "3.5"),
            Map.entry("kong.service.set_timeouts", "3.5"),
            Map.entry("kong.service.request.clear_query_arg", "3.9"),
            Map.entry("kong.service.request.enable_tls", "3.10"),
            Map.entry("kong.service.request.disable_tls", "3.10"));

    private KongLines() {
    }

    /**
     * @param method a PDK function, for example {@code kong.request.get_start_time}
     * @return the first Kong line that has it, or {@code null} when every supported line has it
     */
    static String since(String method) {
        return SINCE.get(method);
    }
}
