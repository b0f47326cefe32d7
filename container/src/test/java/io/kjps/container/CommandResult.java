package io.kjps.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command that ran to its end, as the end-to-end tests run the launcher, the shell and the tools an operator uses.
 *
 * @param status the exit status
 * @param out    what it wrote on stdout
 * @param err    what it wrote on stderr
 */
record CommandResult(int status, String out, String err) {
    /** How long a command may take. */
    static final long DEADLINE_SECONDS = 60;

    /**
     * Runs {@code command} in {@code dir} with {@code /dev/null} as standard input and waits for it, bounded.
     *
     * @throws AssertionError when it does not end within {@value #DEADLINE_SECONDS} s
     */
    static CommandResult run(Path dir, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("kjps-command", ".out");
        Path err = Files.createTempFile("kjps-command", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null")
                            .toFile())).start();
            if (!p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + DEADLINE_SECONDS + " s");
            }
            return new CommandResult(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
