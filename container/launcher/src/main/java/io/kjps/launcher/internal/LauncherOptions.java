package io.kjps.launcher.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The parsed command line.
 *
 * <p>Every flag may be written with one or two dashes ({@code -deploy DIR} or {@code --deploy DIR}); flags that take
 * a value also accept {@code -flag=VALUE}. A value may not be empty or start with {@code -} (so
 * {@code -deploy -dump} is an error rather than a deploy directory named "-dump"). A repeated flag: the last one
 * wins. {@code -h}/{@code -help} and {@code -version} act as soon as they are met, like Go's flag package; arguments
 * after them are not looked at.
 *
 * <p>Relative paths are resolved against the current directory and made absolute: Kong starts the server with the
 * working directory of nginx ({@code /}), and the paths end up in commands Kong runs later.
 *
 * @param mode           what to do
 * @param home           the distribution directory, if known
 * @param kongPrefix     {@code -kong-prefix}, absolute
 * @param socket         {@code -socket}, absolute
 * @param deploy         {@code -deploy}, absolute
 * @param cacheDir       {@code -cache-dir}, absolute
 * @param pluginName     the NAME of {@code -dump-plugin NAME}; null in every other mode
 * @param verbose        {@code -v}
 * @param exitWithParent {@code -exit-with-parent}
 * @param role           which process of the server this is ({@link Role#KEEPER} unless {@code -no-keeper} or
 *                       {@code -worker}); meaningful in {@link Action#SERVER} only
 */
public record LauncherOptions(Action mode, Optional<Path> home, Path kongPrefix, Path socket, Path deploy,
                              Path cacheDir, String pluginName, boolean verbose, boolean exitWithParent, Role role) {

    /** Which process of the server this is. */
    public enum Role {
        /**
         * The process Kong starts: binds the socket at once and keeps it, starts the server process with it and
         * starts it again at once when it dies ({@code Keeper}).
         */
        KEEPER,
        /** {@code -worker}: the server process the keeper starts, serving on the socket it was handed. */
        WORKER,
        /** {@code -no-keeper}: one process that binds the socket and serves on it. */
        ALONE
    }

    /** Exit status when the command was understood but could not be served (unknown plugin, start-up failure). */
    public static final int EXIT_FAILURE = 1;
    /** Exit status for a command line that cannot be run. */
    public static final int EXIT_USAGE = 2;

    public static final Path DEFAULT_KONG_PREFIX = Path.of("/usr/local/kong");
    /** File name of the socket inside the Kong prefix when {@code -socket} is not given. */
    public static final String DEFAULT_SOCKET_NAME = "kong-java-pluginserver.socket";

    /** What the launcher has been asked to do. */
    public enum Action {
        /** No dump flag: boot the framework and serve Kong on the socket. */
        SERVER,
        /** {@code -dump}: print every deployed plugin as Kong query_cmd JSON. */
        DUMP,
        /** {@code -dump-plugin NAME}: print one deployed plugin as Kong query_cmd JSON. */
        DUMP_PLUGIN,
        /** {@code -kong-conf}: print kong.conf lines for the deployed plugins. */
        KONG_CONF,
        /** {@code -h}/{@code -help}: usage on stdout. */
        HELP,
        /** {@code -version}: version on stdout. */
        VERSION
    }

    /**
     * Parses {@code args}.
     *
     * @param args   the command line, without the program name
     * @param cwd    absolute directory that relative paths are resolved against
     * @param home   the distribution directory, if known (the {@code -deploy} default depends on it)
     * @param tmpDir default of {@code -cache-dir}
     * @throws UsageException for an unknown flag, a missing value, a positional argument, two modes at once, or
     *                        no {@code -deploy} while the distribution directory is unknown
     */
    public static LauncherOptions parse(List<String> args, Path cwd, Optional<Path> home, Path tmpDir)
            throws UsageException {
        Action mode = Action.SERVER;
        Path kongPrefix = DEFAULT_KONG_PREFIX;
        Path socket = null;
        Path deploy = null;
        Path cacheDir = cwd.resolve(tmpDir).normalize();
        String pluginName = null;
        boolean verbose = false;
        boolean exitWithParent = false;
        Role role = Role.KEEPER;

        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                throw new UsageException("unexpected argument: " + arg);
            }
            String flag = arg.substring(arg.startsWith("--") ? 2 : 1);
            String inline = null;
            int eq = flag.indexOf('=');
            if (eq >= 0) {
                inline = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            switch (flag) {
                case "h", "help" -> {
                    noValue(flag, inline);
                    return new LauncherOptions(Action.HELP, home, null, null, null, null, null, false, false, null);
                }
                case "version" -> {
                    noValue(flag, inline);
                    return new LauncherOptions(Action.VERSION, home, null, null, null, null, null, false, false,
                            null);
                }
                case "v" -> {
                    noValue(flag, inline);
                    verbose = true;
                }
                case "exit-with-parent" -> {
                    noValue(flag, inline);
                    exitWithParent = true;
                }
                case "no-keeper", "worker" -> {
                    noValue(flag, inline);
                    Role wanted = flag.equals("worker") ? Role.WORKER : Role.ALONE;
                    if (role != Role.KEEPER && role != wanted) {
                        throw new UsageException("-no-keeper and -worker cannot be combined");
                    }
                    role = wanted;
                }
                case "dump" -> {
                    noValue(flag, inline);
                    mode = exclusive(mode, Action.DUMP);
                }
                case "kong-conf" -> {
                    noValue(flag, inline);
                    mode = exclusive(mode, Action.KONG_CONF);
                }
                case "dump-plugin" -> {
                    mode = exclusive(mode, Action.DUMP_PLUGIN);
                    pluginName = inline != null ? value(flag, inline) : next(args, i++, flag);
                }
                case "kong-prefix", "socket", "deploy", "cache-dir" -> {
                    String value = inline != null ? value(flag, inline) : next(args, i++, flag);
                    Path path = cwd.resolve(value).normalize();
                    switch (flag) {
                        case "kong-prefix" -> kongPrefix = path;
                        case "socket" -> socket = path;
                        case "deploy" -> deploy = path;
                        default -> cacheDir = path;
                    }
                }
                default -> throw new UsageException("unknown flag: " + arg);
            }
        }

        Optional<Path> absoluteHome = home.map(h -> cwd.resolve(h).normalize());
        if (socket == null) {
            socket = kongPrefix.resolve(DEFAULT_SOCKET_NAME);
        }
        if (deploy == null) {
            deploy = absoluteHome.map(h -> h.resolve("deploy")).orElseThrow(() -> new UsageException(
                    "the distribution directory is unknown (system property kjps.home is not set): pass -deploy DIR"));
        }
        return new LauncherOptions(mode, absoluteHome, kongPrefix, socket, deploy, cacheDir, pluginName, verbose,
                exitWithParent, role);
    }

    private static void noValue(String flag, String inline) throws UsageException {
        if (inline != null) {
            throw new UsageException("flag -" + flag + " takes no value");
        }
    }

    private static Action exclusive(Action current, Action requested) throws UsageException {
        if (current != Action.SERVER && current != requested) {
            throw new UsageException("-" + flagOf(current) + " and -" + flagOf(requested) + " cannot be combined");
        }
        return requested;
    }

    private static String flagOf(Action mode) {
        return switch (mode) {
            case DUMP -> "dump";
            case DUMP_PLUGIN -> "dump-plugin";
            case KONG_CONF -> "kong-conf";
            default -> throw new IllegalArgumentException(mode.name());
        };
    }

    private static String next(List<String> args, int index, String flag) throws UsageException {
        if (index + 1 >= args.size()) {
            throw new UsageException("flag -" + flag + " needs a value");
        }
        return value(flag, args.get(index + 1));
    }

    private static String value(String flag, String value) throws UsageException {
        if (value.isEmpty() || value.startsWith("-")) {
            throw new UsageException("flag -" + flag + " needs a value");
        }
        return value;
    }

    /** The usage text, ending with a newline. */
    public static String usage() {
        return """
                Usage: kong-java-pluginserver [flags]
                       kong-java-pluginserver shell [-kong-prefix DIR | -socket PATH | -admin PATH] [-c COMMAND]

                Java plugin server for Kong Gateway external plugins (protocol MsgPack:1).
                Without -dump, -dump-plugin or -kong-conf it starts the server (Kong's pluginserver start_cmd).

                Flags (one or two dashes; -flag VALUE or -flag=VALUE):
                  -kong-prefix DIR   Kong prefix (default /usr/local/kong)
                  -socket PATH       unix socket to listen on (default <kong-prefix>/kong-java-pluginserver.socket)
                  -deploy DIR        plugin bundle directory (default <home>/deploy)
                  -dump              print every deployed plugin as Kong query_cmd JSON, then exit
                  -dump-plugin NAME  print one deployed plugin as Kong query_cmd JSON, then exit
                  -kong-conf         print kong.conf lines for the deployed plugins, then exit
                  -cache-dir DIR     where the OSGi framework cache is created (default: java.io.tmpdir)
                  -exit-with-parent  exit when the parent process dies (Kong 2.x never signals its servers)
                  -no-keeper         serve in this one process: no keeper holding the socket across a crash
                  -v                 verbose logging
                  -version           print the version, then exit
                  -h, -help          print this help, then exit

                shell attaches to the Gogo shell of a running server through its admin socket
                (<socket>.admin); -c runs one command and exits 1 if it failed, 3 if no server answers.

                Exit status: 0 success, 1 failure (unknown plugin, start-up failure), 2 bad command line.
                """;
    }
}
