package io.kjps.rpc.testutil;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real unix-socket connection for a test: {@link #server} is the accepted end an {@code RpcConnection} serves, and
 * {@link #in} / {@link #out} are Kong's end. Closing {@code out} shuts down Kong's sending side: EOF for the server.
 */
public final class KongEnd implements AutoCloseable {
    /** The server's end. */
    public final SocketChannel server;
    private final SocketChannel kong;
    private final Path dir;

    /** What the server wrote. */
    public final InputStream in = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return len == 0 ? 0 : kong.read(ByteBuffer.wrap(b, off, len));
        }
    };

    /** To the server; {@code close()} is EOF for it. */
    public final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                kong.write(buf);
            }
        }

        @Override
        public void close() throws IOException {
            if (kong.isOpen()) {
                kong.shutdownOutput();
            }
        }
    };

    private KongEnd(SocketChannel server, SocketChannel kong, Path dir) {
        this.server = server;
        this.kong = kong;
        this.dir = dir;
    }

    /** @return a new connected pair, in a fresh temporary folder */
    public static KongEnd open() {
        try {
            Path dir = Files.createTempDirectory("kjps-rpc");
            Path socket = dir.resolve("s");
            try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                listener.bind(UnixDomainSocketAddress.of(socket));
                SocketChannel kong = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                return new KongEnd(listener.accept(), kong, dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return whether the server closed its end */
    public boolean serverClosed() {
        return !server.isOpen();
    }

    /** @return every byte the server writes until it closes its end */
    public byte[] readAll() throws IOException {
        return in.readAllBytes();
    }

    @Override
    public void close() throws IOException {
        kong.close();
        server.close();
        Files.deleteIfExists(dir.resolve("s"));
        Files.deleteIfExists(dir);
    }
}
