package io.kjps.rpc.codec;

/**
 * Input that is not a valid Kong msgpack-rpc message.
 *
 * <p>{@link #inSync()} tells whether the stream is still usable: true when a whole msgpack value was read but its
 * shape is wrong (the sender gets an error response and the connection goes on); false when the bytes themselves
 * are bad or exceed the limits (the connection must be closed, since the next message boundary is unknown).
 */
public class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean inSync;
    private final long msgid;

    /**
     * @param message the precise reason
     * @param inSync whether the stream is still positioned at a message boundary
     * @param msgid the request's msgid when known, else -1
     */
    public ProtocolException(String message, boolean inSync, long msgid) {
        super(message);
        this.inSync = inSync;
        this.msgid = msgid;
    }

    /** @return whether the connection can go on with the next message */
    public boolean inSync() {
        return inSync;
    }

    /** @return the msgid of the offending request, or -1 when it could not be read */
    public long msgid() {
        return msgid;
    }
}
