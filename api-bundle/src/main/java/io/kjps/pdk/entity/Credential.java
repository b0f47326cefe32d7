package io.kjps.pdk.entity;

import java.util.Map;

/**
 * A credential entity of an auth plugin ({@code kong.client.get_credential()}). Its fields depend on the plugin
 * (key-auth, basic-auth, jwt, ...), so only the common ones are typed.
 *
 * @param id the UUID, or {@code null}
 * @param consumerId the id of the consumer it belongs to, or {@code null}
 * @param raw the whole table Kong sent; what {@code kong.client.authenticate} gets back
 */
public record Credential(String id, String consumerId, Map<String, Object> raw) {
}
