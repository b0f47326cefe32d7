package io.kjps.launcher.internal;

/**
 * A command line that cannot be run: unknown flag, missing value, conflicting modes. The launcher prints the message
 * and the usage text on stderr and exits with {@link LauncherOptions#EXIT_USAGE}.
 */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
