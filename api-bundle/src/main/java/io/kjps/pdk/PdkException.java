package io.kjps.pdk;

/**
 * A PDK call that did not produce a result: Kong reported an error for it ({@code plugin.StepError}, Kong 2.x), the
 * event was already finished (after {@code kong.response.exit}, or abandoned by Kong), or the server is stopping.
 */
public class PdkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the PDK method
     */
    public PdkException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what failed, naming the PDK method
     * @param cause the underlying failure
     */
    public PdkException(String message, Throwable cause) {
        super(message, cause);
    }
}
