package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.emulator.KongRpcException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The release archive as an operator installs it, step by step as the README's "Install on a Kong node" and the
 * archive's {@code INSTALL} say: check its SHA-256, unpack it, pin the JVM in {@code etc/java}, start it the way Kong
 * does ({@code env -i}, from {@code /}) with its deploy folder empty, then rename a sample into that folder and serve
 * an event from it; then upgrade it while it runs, restart it as Kong would, and see Kong's instance start again.
 */
class ReleaseArchiveIT {
    private static final String JAVA_HELLO_JAR = "kong-java-pluginserver-sample-java-hello.jar";

    private static CommandResult run(Path dir, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("env", "-i"));
        if (!command[0].startsWith("/")) {
            cmd.add("PATH=/usr/bin:/bin");
        }
        cmd.addAll(List.of(command));
        return CommandResult.run(dir, cmd);
    }

    private static Set<String> names(Path dir) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> names.add(f.getFileName().toString()));
        }
        return names;
    }

    private static String hello(KongEmulator kong, long instance) {
        FakeRequest request = FakeRequest.builder().header("host", "example.com").build();
        kong.handleEvent(instance, "access", request);
        return request.responseHeader("x-hello-from-java");
    }

    @Test
    void unpackedArchiveStartsEmptyFromKongsEmptyEnvironmentAndServesASampleRenamedIntoDeploy() throws Exception {
        Path archive = Path.of(System.getProperty("kjps.dist.archive"));
        Path sum = archive.resolveSibling(archive.getFileName() + ".sha256");

        // the SHA-256 beside it, in sha256sum's format, and checked the way the README says
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(archive)));
        assertEquals(hex + "  " + archive.getFileName() + "\n", Files.readString(sum, StandardCharsets.US_ASCII));
        CommandResult check = run(archive.getParent(), "sha256sum", "-c", sum.getFileName().toString());
        assertEquals(new CommandResult(0, archive.getFileName() + ": OK\n", ""), check);

        // tar -xzf <archive> -C /opt, into a temporary /opt
        Path opt = Files.createTempDirectory(Path.of("/tmp"), "kjps-opt");
        CommandResult untar = run(Path.of("/"), "tar", "-xzf", archive.toString(), "-C", opt.toString());
        assertEquals(new CommandResult(0, "", ""), untar);
        Path home = opt.resolve("kong-java-pluginserver");
        assertEquals(Set.of("INSTALL", "bin", "deploy", "etc", "lib", "samples", "system"), names(home));
        assertEquals(Set.of(), names(home.resolve("deploy")), "an operator's deploy folder starts empty");
        assertEquals(names(ServerProcess.distribution().resolve("deploy")), names(home.resolve("samples")),
                "the archive ships the samples the build tree serves, in samples/");
        // nothing in it is writable by group or others: after `chown -R root:root` Kong's user can only read it
        try (Stream<Path> all = Files.walk(home)) {
            for (Path f : (Iterable<Path>) all::iterator) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(f);
                assertFalse(mode.contains(PosixFilePermission.GROUP_WRITE)
                        || mode.contains(PosixFilePermission.OTHERS_WRITE), f + " " + mode);
            }
        }
        assertTrue(Files.getPosixFilePermissions(home.resolve("bin/kong-java-pluginserver"))
                .contains(PosixFilePermission.OTHERS_EXECUTE));

        // pin the JVM in etc/java: Kong passes no PATH and no JAVA_HOME
        Files.writeString(home.resolve("etc/java"), Path.of(System.getProperty("java.home"), "bin", "java") + "\n");

        // with nothing deployed, Kong's query finds no plugin and -kong-conf has nothing to configure
        Path bin = home.resolve("bin/kong-java-pluginserver");
        assertEquals(new CommandResult(0, "{\"Protocol\":\"MsgPack:1\",\"Plugins\":[]}\n", ""),
                run(Path.of("/"), bin.toString(), "-dump"));
        CommandResult conf = run(Path.of("/"), bin.toString(), "-kong-conf");
        assertEquals(1, conf.status(), conf.toString());
        assertEquals("kong-java-pluginserver: error: no plugin found in " + home.resolve("deploy") + "\n", conf.err());

        Path prefix = ServerProcess.newPrefix();
        try (ServerProcess server = ServerProcess.startAsKong(home, prefix)) { // deploy/ is empty
            assertTrue(server.logText().contains(", deploy " + home.resolve("deploy")), server.logText());
            assertFalse(server.logText().contains(" is writable by "), server.logText());

            // write the jar beside deploy/, then rename it in
            Path staged = home.resolve("java-hello.jar.tmp");
            Files.copy(home.resolve("samples").resolve(JAVA_HELLO_JAR), staged);
            Files.move(staged, home.resolve("deploy").resolve("java-hello.jar"), StandardCopyOption.ATOMIC_MOVE);
            ServerProcess.await("the renamed sample is served", Duration.ofSeconds(30),
                    () -> server.logText().contains("serving java-hello "));

            KongConnectionPool pool = new KongConnectionPool(server.socket(), 2, KongConnectionPool.Policy.LIFO,
                    Duration.ofSeconds(30));
            KongEmulator kong = new KongEmulator(new KongClient(pool));
            long instance = kong.startInstance("java-hello", "{\"message\":\"Kong!\"}");
            assertEquals("Java says Kong! to example.com", hello(kong, instance));

            // now -kong-conf prints the lines to add to kong.conf, with this installation's paths
            CommandResult lines = run(Path.of("/"), bin.toString(), "-kong-prefix", prefix.toString(), "-kong-conf");
            assertEquals(0, lines.status(), lines.toString());
            assertTrue(lines.out().contains("\npluginserver_java_hello_start_cmd = " + bin + " -kong-prefix " + prefix
                    + " "), lines.out());
            assertTrue(lines.out().contains("\npluginserver_java_hello_query_cmd = " + bin + " "), lines.out());

            // upgrade while it runs, as the README says (this archive stands in for the new version)
            CommandResult upgrade = run(home, "sh", "-ec", "mkdir ../kong-java-pluginserver.new\n"
                    + "tar -xzf " + archive + " -C ../kong-java-pluginserver.new --strip-components=1\n"
                    + "for part in bin lib system samples INSTALL; do\n"
                    + "    mv \"$part\" \"$part.old\" && mv \"../kong-java-pluginserver.new/$part\" \"$part\"\n"
                    + "done\n");
            assertEquals(new CommandResult(0, "", ""), upgrade);
            assertEquals("Java says Kong! to example.com", hello(kong, instance),
                    "the running server keeps serving while its files are swapped");
            // the README's restart: SIGHUP to the keeper, which starts the new version on the same socket
            long oldServer = server.serverPid();
            CommandResult hup = run(home, "sh", "-c", "kill -HUP \"$(pgrep -of 'io.kjps.launcher.Main -kong-prefix "
                    + prefix + "')\"");
            assertEquals(new CommandResult(0, "", ""), hup);
            ServerProcess.await("a new server process serves", Duration.ofSeconds(60),
                    () -> server.serverPid() != oldServer && server.logText().contains("starting it again as asked")
                            && server.logText().split("serving java-hello ", -1).length > 2);
            KongRpcException lost = assertThrows(KongRpcException.class, () -> hello(kong, instance));
            assertTrue(lost.getMessage().contains("No plugin instance " + instance), lost.getMessage());
            long restarted = kong.startInstance("java-hello", "{\"message\":\"Kong!\"}");
            assertEquals("Java says Kong! to example.com", hello(kong, restarted));
            assertEquals(Set.of("java-hello.jar"), names(home.resolve("deploy")), "the upgrade left deploy/ alone");
            pool.close();
            assertEquals(0, server.stop());
            CommandResult cleanup = run(home, "rm", "-rf", "bin.old", "lib.old", "system.old", "samples.old", "INSTALL.old",
                    "../kong-java-pluginserver.new");
            assertEquals(0, cleanup.status(), cleanup.toString());
            assertEquals(Set.of("INSTALL", "bin", "deploy", "etc", "lib", "samples", "system"), names(home));
        } finally {
            try (Stream<Path> all = Files.walk(opt)) {
                for (Path f : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(f);
                }
            }
        }
    }
}
