package io.kjps.rpc.config;

/** A config that cannot be decoded into the plugin's config type; the message names the field path. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, with the field path
     */
    public ConfigException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, with the field path
     * @param cause the underlying failure
     */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
