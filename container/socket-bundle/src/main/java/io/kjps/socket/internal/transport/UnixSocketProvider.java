package io.kjps.socket.internal.transport;

import java.io.IOException;
import java.nio.file.Path;

/** Creates listening unix sockets. */
public interface UnixSocketProvider {

    /**
     * Binds a listening socket; the path must not exist.
     *
     * @param path the socket file
     * @param backlog the listen backlog (Kong opens bursts of connections)
     * @return the listener
     * @throws IOException when it cannot bind
     */
    UnixListener bind(Path path, int backlog) throws IOException;

    /**
     * @param path a socket file
     * @return whether a process accepts connections on it now
     */
    boolean isLive(Path path);
}
