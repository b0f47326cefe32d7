package io.kjps.pdk;

import org.osgi.annotation.versioning.ProviderType;

/**
 * {@code kong.log}: lines in Kong's error log, prefixed by Kong with the plugin name. Every phase.
 *
 * <p>Arguments are joined by Kong as {@code kong.log} does in Lua (strings as they are, other values with
 * {@code tostring}).
 */
@ProviderType
public interface Log {

    /** @param args the message parts; {@code kong.log.alert} */
    void alert(Object... args);

    /** @param args the message parts; {@code kong.log.crit} */
    void crit(Object... args);

    /** @param args the message parts; {@code kong.log.err} */
    void err(Object... args);

    /** @param args the message parts; {@code kong.log.warn} */
    void warn(Object... args);

    /** @param args the message parts; {@code kong.log.notice} */
    void notice(Object... args);

    /** @param args the message parts; {@code kong.log.info} */
    void info(Object... args);

    /** @param args the message parts; {@code kong.log.debug} */
    void debug(Object... args);

    /** @return {@code kong.log.serialize()}: Kong's JSON summary of the request, as JSON text */
    String serialize();

    /**
     * {@code kong.log.set_serialize_value(key, value)}: adds a value to what {@link #serialize} returns later.
     *
     * @param key a dotted key path
     * @param value the value
     */
    void setSerializeValue(String key, Object value);

    /**
     * {@code kong.log.inspect(args...)}: a debug dump of the values, when Kong's inspect is enabled. Every phase.
     *
     * @param args the values
     */
    void inspect(Object... args);

    /**
     * {@code kong.log.deprecation(args...)}: a deprecation warning. Every phase.
     *
     * @param args the message parts
     */
    void deprecation(Object... args);

    /**
     * {@code kong.log.set_serialize_value(key, value, {mode = mode})}. Phases: certificate, rewrite, access,
     * header_filter, response, body_filter, log.
     *
     * @param key a dotted key path
     * @param value the value
     * @param mode {@code "set"} (the default), {@code "add"} (only when absent) or {@code "replace"} (only when present)
     */
    void setSerializeValue(String key, Object value, String mode);
}
