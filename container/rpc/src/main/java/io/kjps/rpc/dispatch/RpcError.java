package io.kjps.rpc.dispatch;

/** A call that fails: its message becomes the msgpack-rpc error string Kong receives. */
public final class RpcError extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the error text sent to Kong */
    public RpcError(String message) {
        super(message, null, false, false);
    }

    /**
     * The error for an unknown instance id. Kong 2.3/2.4 match "No plugin instance" case-sensitively, later ones
     * case-insensitively; it makes Kong start the instance again and retry (protocol.md §4.9).
     *
     * @param id the instance id Kong sent
     * @return the error
     */
    public static RpcError noInstance(Object id) {
        return new RpcError("No plugin instance " + id);
    }
}
