package io.kjps.socket.internal.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Unix sockets through the JDK's own channels (Java 16+), the ones the connection threads wait on in selectors of
 * their own (docs/decisions.md, "No hand-off on the common path": junixsocket's selectors share one wake-up pipe
 * between all selectors, so a wake-up meant for one thread wakes them all).
 */
public final class JdkUnixSockets implements UnixSocketProvider {

    @Override
    public UnixListener bind(Path path, int backlog) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path), backlog);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new UnixListener() {
            @Override
            public UnixConnection accept() throws IOException {
                return new Connection(server.accept());
            }

            @Override
            public void close() throws IOException {
                server.close(); // the socket file stays: see SocketFile
            }
        };
    }

    @Override
    public boolean isLive(Path path) {
        try (SocketChannel s = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (IOException e) {
            return false;
        }
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
