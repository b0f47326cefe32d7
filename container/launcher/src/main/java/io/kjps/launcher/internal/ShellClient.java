package io.kjps.launcher.internal;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code kong-java-pluginserver shell}: attaches to the admin socket of a running server (the shell bundle's
 * endpoint) and runs Gogo commands there.
 *
 * <pre>
 * kong-java-pluginserver shell [-kong-prefix DIR | -socket PATH | -admin PATH] [-c COMMAND]
 * </pre>
 * The admin socket is {@code -admin}, else {@code <socket>.admin}, the socket being {@code -socket} or
 * {@code <kong-prefix>/kong-java-pluginserver.socket} (Kong's prefix defaults to {@code /usr/local/kong}). With
 * {@code -c} it runs that one command, prints its output and exits with 0 when it succeeded, 1 when it failed.
 * Without, it reads commands from stdin, one per line, until EOF or {@code exit}, with a prompt on a terminal.
 * Exit status 3 means no server answers on the admin socket; 2 a bad command line.
 */
public final class ShellClient {
    /** Exit status when no server answers. */
    public static final int EXIT_NO_SERVER = 3;

    private ShellClient() {
    }

    /**
     * @param args the arguments after {@code shell}
     * @param cwd the directory relative paths are resolved against
     * @param in the commands in interactive mode
     * @param out where command output goes
     * @param err where errors go
     * @return the exit status
     */
    public static int run(List<String> args, Path cwd, InputStream in, PrintStream out, PrintStream err) {
        Path prefix = Path.of("/usr/local/kong");
        Path socket = null;
        Path admin = null;
        String command = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i).replaceFirst("^--", "-");
            if (i + 1 >= args.size() || !List.of("-c", "-kong-prefix", "-socket", "-admin").contains(a)) {
                err.println("kong-java-pluginserver shell: error: unexpected argument " + args.get(i)
                        + "\nusage: kong-java-pluginserver shell [-kong-prefix DIR | -socket PATH | -admin PATH]"
                        + " [-c COMMAND]");
                return LauncherOptions.EXIT_USAGE;
            }
            String v = args.get(++i);
            switch (a) {
                case "-c" -> command = v;
                case "-kong-prefix" -> prefix = cwd.resolve(v);
                case "-socket" -> socket = cwd.resolve(v);
                default -> admin = cwd.resolve(v);
            }
        }
        if (admin == null) {
            Path s = socket != null ? socket : prefix.resolve("kong-java-pluginserver.socket");
            admin = s.resolveSibling(s.getFileName() + ".admin");
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(admin));
        } catch (IOException e) {
            err.println("kong-java-pluginserver shell: no server answers on " + admin + ": "
                    + (Files.exists(admin) ? e.getMessage() : "no such socket")
                    + " (is the server running? see -kong-prefix, -socket, -admin)");
            return EXIT_NO_SERVER;
        }
        try (channel; InputStream replies = Channels.newInputStream(channel);
             OutputStream requests = Channels.newOutputStream(channel)) {
            if (command != null) {
                return execute(command, requests, replies, out);
            }
            boolean prompt = System.console() != null && in == System.in;
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int status = 0;
            while (true) {
                if (prompt) {
                    out.print("kjps> ");
                    out.flush();
                }
                String line = lines.readLine();
                if (line == null || line.strip().equals("exit") || line.strip().equals("quit")) {
                    return status;
                }
                status = execute(line, requests, replies, out);
            }
        } catch (IOException e) {
            err.println("kong-java-pluginserver shell: connection to " + admin + " lost: " + e.getMessage());
            return LauncherOptions.EXIT_FAILURE;
        }
    }

    private static int execute(String command, OutputStream requests, InputStream replies, PrintStream out)
            throws IOException {
        requests.write((command.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
        requests.flush();
        String header = readLine(replies);
        String[] parts = header.split(" ");
        if (parts.length != 2) {
            throw new IOException("unexpected reply " + header);
        }
        int status = Integer.parseInt(parts[0]);
        byte[] text = replies.readNBytes(Integer.parseInt(parts[1]));
        out.write(text);
        out.flush();
        return status;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("the server closed the connection");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
