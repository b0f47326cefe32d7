package io.kjps.pdk.entity;

import java.util.List;
import java.util.Map;

/**
 * A Kong route entity ({@code kong.router.get_route()}).
 *
 * @param id the UUID
 * @param name the name, or {@code null}
 * @param protocols the protocols, for example {@code [http, https]}
 * @param methods the HTTP methods it matches (empty when any)
 * @param hosts the hosts it matches
 * @param paths the paths it matches
 * @param stripPath whether Kong strips the matched path ({@code null} when absent)
 * @param preserveHost whether Kong keeps the client's Host header ({@code null} when absent)
 * @param tags the tags
 * @param serviceId the id of its service, or {@code null}
 * @param raw the whole table Kong sent
 */
public record Route(String id, String name, List<String> protocols, List<String> methods, List<String> hosts,
        List<String> paths, Boolean stripPath, Boolean preserveHost, List<String> tags, String serviceId,
        Map<String, Object> raw) {
}
