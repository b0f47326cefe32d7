package io.kjps.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployFolderCheckTest {
    @TempDir
    Path dir;

    private List<String> passwdWithPrimaryGroup(int gid) throws Exception {
        int uid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        return List.of("me:x:" + uid + ":" + gid + "::/nonexistent:/bin/sh");
    }

    private int gid() throws Exception {
        return (Integer) Files.getAttribute(dir, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void ownerOnlyAndOwnersGroupAreFine() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(Optional.empty(), DeployFolderCheck.problem(dir, passwdWithPrimaryGroup(gid())));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertEquals(Optional.empty(), DeployFolderCheck.problem(dir, passwdWithPrimaryGroup(gid())));
    }

    @Test
    void worldWritableIsAProblem() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(Optional.of("deploy directory " + dir + " is writable by every user (rwxrwxrwx)"),
                DeployFolderCheck.problem(dir, passwdWithPrimaryGroup(gid())));
    }

    @Test
    void groupWritableByAnotherGroupIsAProblem() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
        Optional<String> p = DeployFolderCheck.problem(dir, passwdWithPrimaryGroup(gid() + 1));
        assertTrue(p.isPresent());
        assertTrue(p.get().contains("is writable by group " + gid() + ", which is not the primary group of its owner"),
                p.get());
        assertTrue(DeployFolderCheck.problem(dir, List.of()).isPresent(), "an unknown owner's group is a problem");
    }

    @Test
    void strictRefusesAndLenientWarns() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Logger log = Logger.getLogger("test.deploy");
        assertFalse(DeployFolderCheck.check(dir, true, log));
        assertTrue(DeployFolderCheck.check(dir, false, log));
        assertTrue(DeployFolderCheck.check(dir.resolve("missing"), true, log), "a missing folder is not checked");
    }
}
