package io.kjps.socket.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** Unix sockets through junixsocket. */
public final class JunixsocketProvider implements UnixSocketProvider {

    @Override
    public UnixListener bind(Path path, int backlog) throws IOException {
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
        server.setDeleteOnClose(false);
        server.bind(AFUNIXSocketAddress.of(path), backlog);
        return new UnixListener() {
            @Override
            public UnixConnection accept() throws IOException {
                return new Connection(server.accept());
            }

            @Override
            public void close() throws IOException {
                server.close();
            }
        };
    }

    @Override
    public boolean isLive(Path path) {
        try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static final class Connection implements UnixConnection {
        private final AFUNIXSocket socket;

        Connection(AFUNIXSocket socket) {
            this.socket = socket;
        }

        @Override
        public InputStream in() throws IOException {
            return socket.getInputStream();
        }

        @Override
        public OutputStream out() throws IOException {
            return socket.getOutputStream();
        }

        @Override
        public long peerUid() {
            try {
                return socket.getPeerCredentials().getUid();
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
