package io.kjps.socket.internal.transport;

import java.io.Closeable;
import java.nio.channels.SocketChannel;

/** One accepted connection. */
public interface UnixConnection extends Closeable {

    /** @return the connection's channel */
    SocketChannel channel();

    /**
     * @param uid a user id
     * @return whether the peer's credentials (SO_PEERCRED) say it runs as that user; {@code false} when unknown
     */
    boolean peerIs(long uid);

    /** @return the peer's user name (or id, for a user without a name), or {@code null} when unknown */
    String peerUser();
}
