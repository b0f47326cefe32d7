package io.kjps.launcher.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whoever can write into the deploy folder can run code in the server (a jar dropped there is started). At start
 * the launcher checks the folder: world-writable, or group-writable by a group other than the owner's primary
 * group, is reported. By default that is a warning; with the system property {@code kjps.deploy.strict=true} (in
 * {@code KONG_JAVA_PLUGINSERVER_OPTS}) the server refuses to start.
 */
public final class DeployFolderCheck {
    /** The system property that turns the warning into a refusal. */
    public static final String STRICT = "kjps.deploy.strict";

    private DeployFolderCheck() {
    }

    /**
     * @param deploy the deploy folder
     * @param passwd the lines of {@code /etc/passwd}, to find the owner's primary group
     * @return why the folder is writable by others, or empty when it is not (or does not exist)
     * @throws IOException when its attributes cannot be read
     */
    public static Optional<String> problem(Path deploy, List<String> passwd) throws IOException {
        if (!Files.isDirectory(deploy)) {
            return Optional.empty();
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(deploy);
        String shown = java.nio.file.attribute.PosixFilePermissions.toString(mode);
        if (mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            return Optional.of("deploy directory " + deploy + " is writable by every user (" + shown + ")");
        }
        if (mode.contains(PosixFilePermission.GROUP_WRITE)) {
            int uid = (Integer) Files.getAttribute(deploy, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int gid = (Integer) Files.getAttribute(deploy, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            Integer ownersGroup = primaryGroup(passwd, uid);
            if (ownersGroup == null || ownersGroup != gid) {
                return Optional.of("deploy directory " + deploy + " is writable by group " + gid
                        + ", which is not the primary group of its owner " + uid + " (" + shown + ")");
            }
        }
        return Optional.empty();
    }

    private static Integer primaryGroup(List<String> passwd, int uid) {
        for (String line : passwd) {
            String[] f = line.split(":", -1);
            if (f.length > 3 && f[2].equals(Integer.toString(uid))) {
                try {
                    return Integer.parseInt(f[3]);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * Checks the folder and logs the outcome.
     *
     * @param deploy the deploy folder
     * @param strict whether a problem refuses the start
     * @param log receives the warning or the error
     * @return {@code false} when the server must not start
     */
    public static boolean check(Path deploy, boolean strict, java.util.logging.Logger log) {
        Optional<String> problem;
        try {
            Path passwd = Paths.get("/etc/passwd");
            problem = problem(deploy, Files.isReadable(passwd) ? Files.readAllLines(passwd) : List.of());
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            log.warning("cannot check who may write into deploy directory " + deploy + ": " + e);
            return true;
        }
        if (problem.isEmpty()) {
            return true;
        }
        if (strict) {
            log.severe(problem.get() + ": anyone who can write there can run code in this server; refusing to start"
                    + " (" + STRICT + "=true). Fix it with chmod o-w,g-w or chgrp.");
            return false;
        }
        log.warning(problem.get() + ": anyone who can write there can run code in this server. Fix it with"
                + " chmod o-w,g-w or chgrp; -D" + STRICT + "=true refuses to start in this case.");
        return true;
    }
}
