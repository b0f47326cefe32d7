package io.kjps.shell.internal;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * The admin endpoint: a unix socket where each connection gets its own Gogo session.
 *
 * <p>Protocol (the client is {@code io.kjps.launcher.internal.ShellClient}): the client sends one command per line,
 * UTF-8. For each line the server answers a header line {@code <status> <length>} and then {@code <length>} bytes of
 * UTF-8 output (what the command printed on its output and error streams, then its result formatted as Gogo's
 * shell does). Status 0 is success; 1 means the command threw or printed on its error stream.
 *
 * <p>The socket is bound under a temporary name, given mode 0600, then renamed onto its path, so it is never
 * reachable with a wider mode. A file left on the path (a stale socket, or the one of a server being replaced by
 * {@code kong reload}) is replaced.
 */
final class AdminServer {
    private static final System.Logger LOG = System.getLogger(AdminServer.class.getName());
    /**
     * Gogo's command search path: the socket bundle's {@code kong:*} commands first, then every scope. So an unscoped
     * {@code update} is {@code kong:update}, which waits for the update guard's verdict and prints its one line when
     * the update failed; Gogo's own stays reachable as {@code felix:update}.
     */
    static final String SCOPE = "kong:*";

    private final Path path;
    private final CommandProcessor processor;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private ServerSocketChannel channel;
    private Thread acceptThread;

    AdminServer(Path path, CommandProcessor processor) {
        this.path = path;
        this.processor = processor;
    }

    void start() throws IOException {
        Path temporary = path.resolveSibling(path.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(temporary);
        channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(temporary));
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(temporary);
            throw e;
        }
        acceptThread = new Thread(this::acceptLoop, "kjps-admin-accept");
        acceptThread.setDaemon(true);
        acceptThread.start();
    }

    private void acceptLoop() {
        while (!stopping) {
            SocketChannel c;
            try {
                c = channel.accept();
            } catch (IOException e) {
                if (!stopping) {
                    LOG.log(System.Logger.Level.WARNING, "admin shell: accept failed: " + e);
                }
                return;
            }
            open.add(c);
            Thread t = new Thread(() -> serve(c), "kjps-admin-session");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ErrorStream err = new ErrorStream(out);
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        session.put("SCOPE", SCOPE);
        try (c; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                StandardCharsets.UTF_8)); OutputStream reply = Channels.newOutputStream(c)) {
            String line;
            while ((line = in.readLine()) != null) {
                int status;
                synchronized (out) {
                    out.reset();
                    err.written = false;
                }
                status = execute(session, line, out);
                byte[] text;
                synchronized (out) {
                    if (err.written) {
                        status = 1;
                    }
                    text = out.toByteArray();
                }
                reply.write((status + " " + text.length + "\n").getBytes(StandardCharsets.UTF_8));
                reply.write(text);
                reply.flush();
            }
        } catch (IOException e) {
            if (!stopping) {
                LOG.log(System.Logger.Level.DEBUG, "admin shell: connection ended: " + e);
            }
        } finally {
            open.remove(c);
            session.close();
        }
    }

    private static int execute(CommandSession session, String line, ByteArrayOutputStream out) {
        if (line.isBlank()) {
            return 0;
        }
        LOG.log(System.Logger.Level.INFO, "admin shell: " + line);
        try {
            Object result = session.execute(line);
            if (result != null) {
                CharSequence text = session.format(result, Converter.INSPECT);
                byte[] bytes = (text + (text.length() > 0 && text.charAt(text.length() - 1) == '\n' ? "" : "\n"))
                        .getBytes(StandardCharsets.UTF_8);
                synchronized (out) {
                    out.write(bytes, 0, bytes.length);
                }
            }
            return 0;
        } catch (Exception e) {
            byte[] bytes = ("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            synchronized (out) {
                out.write(bytes, 0, bytes.length);
            }
            return 1;
        }
    }

    void stop() {
        stopping = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "admin shell: close: " + e);
        }
        for (SocketChannel c : open) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** The session's error stream: merged into the output, and remembers that something was written. */
    private static final class ErrorStream extends OutputStream {
        private final ByteArrayOutputStream target;
        volatile boolean written;

        ErrorStream(ByteArrayOutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            synchronized (target) {
                written = true;
                target.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (target) {
                written = written || len > 0;
                target.write(b, off, len);
            }
        }
    }
}
