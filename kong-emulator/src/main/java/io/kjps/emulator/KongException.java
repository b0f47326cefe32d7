package io.kjps.emulator;

/**
 * Base of the emulator's exceptions: a call failed in a way Kong would notice. Subclasses say how:
 * {@link KongRpcException} (the server answered with an error string), {@link KongIoException} (connect, send or
 * read failed: Kong's {@code "no data"}) and {@link KongProtocolException} (the server broke the wire contract, which
 * would raise a Lua error inside Kong).
 */
public class KongException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong */
    public KongException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause   the underlying failure
     */
    public KongException(String message, Throwable cause) {
        super(message, cause);
    }
}
