package io.kjps.socket.internal.transport;

import java.io.Closeable;
import java.io.IOException;

/** A listening unix socket. Closing it stops accepting; it never removes the socket file. */
public interface UnixListener extends Closeable {

    /**
     * @return the next connection
     * @throws IOException when the listener is closed or accept fails
     */
    UnixConnection accept() throws IOException;
}
