package io.kjps.pdk.entity;

import java.util.List;
import java.util.Map;

/**
 * A Kong consumer entity ({@code kong.client.get_consumer()}, {@code kong.client.load_consumer()}).
 *
 * @param id the UUID
 * @param username the username, or {@code null}
 * @param customId the custom id, or {@code null}
 * @param createdAt seconds since the epoch ({@code null} when absent)
 * @param tags the tags
 * @param raw the whole table Kong sent; what {@code kong.client.authenticate} gets back
 */
public record Consumer(String id, String username, String customId, Long createdAt, List<String> tags,
        Map<String, Object> raw) {
}
