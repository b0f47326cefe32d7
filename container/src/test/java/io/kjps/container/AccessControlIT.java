package io.kjps.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;

/**
 * Who may connect (issue 6, item 6): the socket's mode and group, the peer-uid allow-list, the deploy-folder check,
 * and no TCP listener.
 */
class AccessControlIT {

    private static int myUid() throws IOException {
        Path f = Files.createTempFile("kjps-uid", "");
        try {
            return (Integer) Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void socketModeAndGroupAreConfigurable() throws Exception {
        // the group: one the test user may give files to (root may use any; otherwise the user's own)
        String group = myUid() == 0 ? "nogroup" : Files.getAttribute(Files.createTempFile("kjps-g", ""),
                "posix:group").toString();
        try (ServerProcess server = ServerProcess.start(ServerProcess.newPrefix(),
                "-Dkjps.socket.mode=rw------- -Dkjps.socket.group=" + group, "hello")) {
            // not the default (rw-rw----), so a setting that is ignored fails here
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket())));
            assertEquals(group, Files.getAttribute(server.socket(), "posix:group", LinkOption.NOFOLLOW_LINKS)
                    .toString());
            try (RawClient c = RawClient.connect(server.socket())) {
                assertNull(RawClient.error(c.call(1, "plugin.GetStatus", null)));
            }
            Path admin = Paths.get(server.socket() + ".admin");
            if (Files.exists(admin, LinkOption.NOFOLLOW_LINKS)) { // the shell bundle's socket, when it is deployed
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(admin)));
            }
            assertNoTcpListener(server.pid()); // the keeper
            assertNoTcpListener(server.serverPid());
            assertEquals(0, server.stop());
        }
    }

    @Test
    void aPeerNotOnTheAllowListIsClosedAtOnceWithALogLine() throws Exception {
        int me = myUid();
        long other = me == 65534 ? 65533 : 65534;
        try (ServerProcess server = ServerProcess.start(ServerProcess.newPrefix(),
                "-Dkjps.socket.allowed.uids=" + other, "hello")) {
            try (RawClient c = RawClient.connectQuietly(server.socket())) {
                c.assertClosedByServer(Duration.ofSeconds(10)); // not even the serverPid notification
            }
            ServerProcess.await("the refusal is logged", Duration.ofSeconds(10), () -> server.logText().contains(
                    "from user " + System.getProperty("user.name") + ": not in kjps.socket.allowed.uids [" + other
                            + "]"));
            assertEquals(0, server.stop());
        }
        try (ServerProcess server = ServerProcess.start(ServerProcess.newPrefix(),
                "-Dkjps.socket.allowed.uids=" + other + "," + me, "hello")) {
            try (RawClient c = RawClient.connect(server.socket())) {
                Value r = c.call(1, "plugin.GetStatus", null);
                assertNull(RawClient.error(r), "an allowed peer is served");
            }
            assertTrue(!server.logText().contains("refused connection"));
            assertEquals(0, server.stop());
        }
    }

    @Test
    void aDeployFolderWritableByOthersIsWarnedAboutOrRefusedWhenStrict() throws Exception {
        Path prefix = ServerProcess.newPrefix();
        Path deploy = ServerProcess.deployWithFaulty(prefix);
        Files.setPosixFilePermissions(deploy, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (ServerProcess server = ServerProcess.start(prefix, "", List.of("-deploy", deploy.toString()), "hello")) {
            assertTrue(server.logText().contains("deploy directory " + deploy + " is writable by every user"
                    + " (rwxrwxrwx): anyone who can write there can run code in this server"), server.logText());
            assertEquals(0, server.stop());
        }
    }

    @Test
    void strictDeployCheckRefusesToStart() throws Exception {
        Path prefix = ServerProcess.newPrefix();
        Path deploy = Files.createDirectories(prefix.resolve("deploy"));
        Files.setPosixFilePermissions(deploy, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path log = prefix.resolve("server.log");
        ProcessBuilder pb = new ProcessBuilder(ServerProcess.distribution().resolve("bin/kong-java-pluginserver")
                .toString(), "-kong-prefix", prefix.toString(), "-deploy", deploy.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KONG_JAVA_PLUGINSERVER_OPTS", "-Dkjps.deploy.strict=true");
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server exits");
            assertNotEquals(0, p.exitValue());
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            assertTrue(text.contains("is writable by every user (rwxrwxrwx): anyone who can write there can run code"
                    + " in this server; refusing to start (kjps.deploy.strict=true)"), text);
            assertTrue(!Files.exists(prefix.resolve("kong-java-pluginserver.socket")), "no socket was created");
        } finally {
            p.destroyForcibly();
        }
    }

    /** Asserts that none of the process's sockets is a TCP socket in LISTEN state (IPv4 or IPv6). */
    static void assertNoTcpListener(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Paths.get("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        assertTrue(!inodes.isEmpty(), "the process has sockets (the unix socket at least)");
        for (String table : List.of("tcp", "tcp6")) {
            Path p = Paths.get("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
                String[] f = line.trim().split("\\s+");
                boolean listen = f.length > 9 && f[3].equals("0A");
                assertTrue(!(listen && inodes.contains(f[9])), "the server listens on TCP: " + table + " " + line);
            }
        }
    }
}
