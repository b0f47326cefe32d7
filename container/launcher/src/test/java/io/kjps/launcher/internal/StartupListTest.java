package io.kjps.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupListTest {

    @TempDir
    Path system;

    @Test
    void readsFileNamesInOrderSkippingBlanksAndComments() throws IOException {
        for (String jar : List.of("b.jar", "a.jar", "c.jar")) {
            Files.writeString(system.resolve(jar), "");
        }
        Files.writeString(system.resolve("startup.list"), "# start order\n\nb.jar\n  a.jar  \n\t# c.jar\nc.jar");
        assertEquals(List.of(system.resolve("b.jar"), system.resolve("a.jar"), system.resolve("c.jar")),
                StartupList.read(system));
    }

    @Test
    void missingJarNamesTheLine() throws IOException {
        Files.writeString(system.resolve("startup.list"), "# x\nmissing.jar\n");
        IOException e = assertThrows(IOException.class, () -> StartupList.read(system));
        assertEquals(system.resolve("startup.list") + ":2: no such file: " + system.resolve("missing.jar"),
                e.getMessage());
    }

    @Test
    void entriesMustBeFileNames() throws IOException {
        Files.writeString(system.resolve("startup.list"), "../lib/x.jar\n");
        IOException e = assertThrows(IOException.class, () -> StartupList.read(system));
        assertTrue(e.getMessage().endsWith(":1: not a file name: ../lib/x.jar"), e.getMessage());
    }

    @Test
    void missingList() {
        assertThrows(NoSuchFileException.class, () -> StartupList.read(system));
    }
}
