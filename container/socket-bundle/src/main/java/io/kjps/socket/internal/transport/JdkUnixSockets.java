package io.kjps.socket.internal.transport;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Unix sockets through the JDK's own channels (Java 16+), the ones the connection threads wait on in selectors of
 * their own (docs/decisions.md, "No hand-off on the common path": junixsocket's selectors share one wake-up pipe
 * between all selectors, so a wake-up meant for one thread wakes them all).
 */
public final class JdkUnixSockets {

    private JdkUnixSockets() {
    }

    /**
     * @param server   a bound listening channel ({@link io.kjps.listener.ListeningSocket#open} or the one the keeper
     *                 handed over)
     * @param keepOpen leave the channel open when the listener closes: the channel the keeper handed over must stay
     *                 open for the process's whole life, because closing an inherited channel makes the JDK point
     *                 standard input, output <em>and error</em> at {@code /dev/null}, which would silence the log
     * @return the listener accepting on it; closing it never removes the socket file
     * @throws IOException when the channel cannot be watched
     */
    public static UnixListener listener(ServerSocketChannel server, boolean keepOpen) throws IOException {
        // accepted through a selector, so that closing the listener wakes the accepting thread without closing the
        // channel (an interrupt would close it)
        server.configureBlocking(false);
        Selector selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        return new UnixListener() {
            private volatile boolean closed;

            @Override
            public UnixConnection accept() throws IOException {
                try {
                    while (!closed) {
                        SocketChannel c = server.accept(); // in blocking mode, whatever the server's mode
                        if (c != null) {
                            return new Connection(c);
                        }
                        selector.select();
                        selector.selectedKeys().clear();
                    }
                } catch (ClosedSelectorException e) {
                    // closed meanwhile
                }
                throw new ClosedChannelException();
            }

            @Override
            public void close() throws IOException {
                closed = true;
                selector.close(); // wakes a thread in select(); deregisters the channel
                if (!keepOpen) {
                    server.close();
                }
            }
        };
    }

    private static final class Connection implements UnixConnection {
        private final SocketChannel channel;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public SocketChannel channel() {
            return channel;
        }

        @Override
        public boolean peerIs(long uid) {
            try {
                UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
                // a numeric name is looked up as that user id; principals are equal when their ids are
                UserPrincipal wanted = FileSystems.getDefault().getUserPrincipalLookupService()
                        .lookupPrincipalByName(Long.toString(uid));
                return peer.user().equals(wanted);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        @Override
        public String peerUser() {
            try {
                return channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
