package io.kjps.listener;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;

/**
 * Hands the listening socket from the keeper process to the server process it starts, as the server's standard
 * input, where the JDK's {@link System#inheritedChannel()} finds it: the server accepts on the very socket the
 * keeper bound, so a connect from Kong never fails while a server process restarts.
 *
 * <p>The JDK starts a child process with only its standard input, output and error open, and
 * {@link ProcessBuilder.Redirect} offers no way to make a socket the child's standard input. The keeper uses two
 * JDK internals for it, reached by reflection and opened by the launcher script
 * ({@code --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED}): the file
 * descriptor of the listening channel, and the redirect the JDK uses for the pipes between the processes of
 * {@link ProcessBuilder#startPipeline}, which carries a file descriptor. Both exist, unchanged, from JDK 17 to 25;
 * when a JDK lacks them, {@link #supported()} says why and the launcher runs without a keeper. The server side uses
 * only public API, with one rule: it must never close the inherited channel, because the JDK then points standard
 * input, output and error at {@code /dev/null} (its {@code InheritedChannel} does so to keep the descriptors from
 * being reused), which silences the server's log.
 */
public final class HandOver {
    /**
     * The framework property that tells the socket bundle its listening socket is its standard input
     * ({@code true}), handed over by the keeper.
     */
    public static final String INHERITED = "kjps.socket.inherited";

    private HandOver() {
    }

    /** @return {@code null} when this JDK lets the keeper hand its socket over, else why not */
    public static String supported() {
        // an unbound channel of the JDK's own class, rather than its name: no bundle embedding this class imports it
        try (ServerSocketChannel probe = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            redirectClass();
            descriptorField(probe);
            return null;
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            return "this JDK does not let a process hand a socket to a child process (" + e + ")";
        }
    }

    /**
     * @param channel a listening channel of this process
     * @return a redirect that makes it the standard input of a process started with it
     * @throws IOException when this JDK does not allow it ({@link #supported()})
     */
    public static ProcessBuilder.Redirect asStandardInput(ServerSocketChannel channel) throws IOException {
        try {
            FileDescriptor fd = (FileDescriptor) descriptorField(channel).get(channel);
            Class<?> type = redirectClass();
            Constructor<?> c = type.getDeclaredConstructor();
            c.setAccessible(true);
            ProcessBuilder.Redirect redirect = (ProcessBuilder.Redirect) c.newInstance();
            Field target = type.getDeclaredField("fd");
            target.setAccessible(true);
            target.set(redirect, fd);
            return redirect;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot hand the listening socket to the server process: " + e, e);
        }
    }

    private static Field descriptorField(ServerSocketChannel channel) throws NoSuchFieldException {
        Field fd = channel.getClass().getDeclaredField("fd");
        fd.setAccessible(true);
        return fd;
    }

    private static Class<?> redirectClass() throws ClassNotFoundException {
        return Class.forName("java.lang.ProcessBuilder$RedirectPipeImpl");
    }

    /**
     * @return the listening socket the keeper handed to this process as its standard input
     * @throws IOException when standard input is not a listening socket
     */
    public static ServerSocketChannel inherited() throws IOException {
        Channel c = System.inheritedChannel();
        if (c instanceof ServerSocketChannel server && server.isOpen()) {
            return server;
        }
        throw new IOException(INHERITED + " is set, but standard input is not an open listening socket (" + c
                + "): the keeper starts the server that way; run bin/kong-java-pluginserver without -worker");
    }
}
