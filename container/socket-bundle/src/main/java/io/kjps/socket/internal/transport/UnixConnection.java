package io.kjps.socket.internal.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** One accepted connection. */
public interface UnixConnection extends Closeable {

    /**
     * @return the bytes from the peer
     * @throws IOException when the connection is closed
     */
    InputStream in() throws IOException;

    /**
     * @return the bytes to the peer
     * @throws IOException when the connection is closed
     */
    OutputStream out() throws IOException;

    /** @return the peer's user id, or -1 when unknown */
    long peerUid();
}
