package io.kjps.pdk.entity;

import java.util.List;
import java.util.Map;

/**
 * A Kong Gateway Service entity ({@code kong.router.get_service()}). Named as Kong's Admin API and Kong Manager
 * name it, so that it is not confused with the {@code kong.service} namespace, {@link io.kjps.pdk.Service}.
 *
 * @param id the UUID
 * @param name the name, or {@code null}
 * @param protocol the upstream protocol, for example {@code http}
 * @param host the upstream host
 * @param port the upstream port ({@code null} when absent)
 * @param path the upstream path, or {@code null}
 * @param retries the retries ({@code null} when absent)
 * @param connectTimeout milliseconds ({@code null} when absent)
 * @param writeTimeout milliseconds ({@code null} when absent)
 * @param readTimeout milliseconds ({@code null} when absent)
 * @param tags the tags
 * @param raw the whole table Kong sent
 */
public record GatewayService(String id, String name, String protocol, String host, Long port, String path, Long retries,
        Long connectTimeout, Long writeTimeout, Long readTimeout, List<String> tags, Map<String, Object> raw) {
}
