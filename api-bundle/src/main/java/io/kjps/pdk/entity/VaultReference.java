package io.kjps.pdk.entity;

import java.util.Map;

/**
 * {@code kong.vault.parse_reference(ref)}: the parts of a {@code {vault://...}} reference.
 *
 * @param name the vault name, for example {@code env}
 * @param resource the resource
 * @param key the key inside the resource, or {@code null}
 * @param version the version, or {@code null}
 * @param config query parameters of the reference (empty when none)
 */
public record VaultReference(String name, String resource, String key, Long version, Map<String, Object> config) {
}
