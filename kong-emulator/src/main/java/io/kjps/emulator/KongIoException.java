package io.kjps.emulator;

/**
 * Connecting, sending or reading failed: connection refused, no socket file, EOF before the response, or the read
 * timeout. Kong reports these as {@code "trying to connect: ..."} or {@code "no data"}, logs them and runs the request
 * without the plugin. The connection involved is closed, never returned to the pool.
 */
public final class KongIoException extends KongException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause   the I/O failure
     */
    public KongIoException(String message, Throwable cause) {
        super(message, cause);
    }
}
