package io.kjps.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheDirectoryTest {

    @TempDir
    Path root;

    private Path cacheWithContent(long pid) throws IOException {
        Path dir = CacheDirectory.of(root, pid);
        Files.createDirectories(dir.resolve("bundle1/version0.0"));
        Files.writeString(dir.resolve("bundle1/version0.0/bundle.jar"), "x");
        Files.writeString(dir.resolve("cache.lock"), "");
        return dir;
    }

    @Test
    void nameCarriesThePid() {
        assertEquals(root.resolve("kong-java-pluginserver-4242"), CacheDirectory.of(root, 4242));
    }

    @Test
    void deletesOnlyDirectoriesOfDeadProcesses() throws IOException {
        Set<Long> alive = Set.of(200L, 300L);
        Path own = cacheWithContent(100);
        Path live = cacheWithContent(200);
        Path otherLive = cacheWithContent(300);
        Path dead = cacheWithContent(400);
        Path deadToo = cacheWithContent(500);
        Path notAPid = Files.createDirectory(root.resolve("kong-java-pluginserver-abc"));
        Path otherPrefix = Files.createDirectory(root.resolve("felix-cache-600"));
        Path plainFile = Files.writeString(root.resolve("kong-java-pluginserver-700"), "file");
        Path outside = Files.createDirectory(root.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Path link = Files.createSymbolicLink(root.resolve("kong-java-pluginserver-800"), outside);

        List<Path> deleted = CacheDirectory.deleteStale(root, 100, alive::contains);

        assertEquals(Set.of(dead, deadToo), Set.copyOf(deleted));
        assertFalse(Files.exists(dead));
        assertFalse(Files.exists(deadToo));
        for (Path kept : List.of(own, live, otherLive, notAPid, otherPrefix, plainFile)) {
            assertTrue(Files.exists(kept), kept.toString());
        }
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.exists(outside.resolve("keep.txt")));
    }

    @Test
    void usesRealProcessLiveness() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        assertTrue(finished.waitFor(30, TimeUnit.SECONDS));
        long deadPid = finished.pid();
        long ownPid = ProcessHandle.current().pid();
        Process running = new ProcessBuilder("sleep", "600").start();
        try {
            Path dead = cacheWithContent(deadPid);
            Path own = cacheWithContent(ownPid);
            Path live = cacheWithContent(running.pid());

            assertFalse(CacheDirectory.isAlive(deadPid));
            assertTrue(CacheDirectory.isAlive(running.pid()));
            assertEquals(List.of(dead), CacheDirectory.deleteStale(root, ownPid, CacheDirectory::isAlive));
            assertTrue(Files.isDirectory(own));
            assertTrue(Files.isDirectory(live));
        } finally {
            running.destroy();
            running.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void missingRootIsNotAnError() {
        assertEquals(List.of(), CacheDirectory.deleteStale(root.resolve("missing"), 1, pid -> false));
    }

    @Test
    void deleteRecursivelyRemovesLinksNotTheirTargets() throws IOException {
        Path dir = cacheWithContent(1);
        Path outside = Files.createDirectory(root.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Files.createSymbolicLink(dir.resolve("link"), outside);

        CacheDirectory.deleteRecursively(dir);
        CacheDirectory.deleteRecursively(dir);

        assertFalse(Files.exists(dir, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(outside.resolve("keep.txt")));
    }
}
