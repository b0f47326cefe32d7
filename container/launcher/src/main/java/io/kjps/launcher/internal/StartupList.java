package io.kjps.launcher.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <home>/system/startup.list}: the bundles the launcher installs and starts, one jar file name per line, in
 * start order. Blank lines and lines starting with {@code #} are ignored; surrounding whitespace is trimmed. The
 * jars live next to the list, in {@code <home>/system/}.
 */
public final class StartupList {

    /** File name of the list inside the system directory. */
    public static final String FILE_NAME = "startup.list";

    private StartupList() {
    }

    /**
     * Reads the list in {@code systemDir}.
     *
     * @return the jar paths in start order
     * @throws IOException when the list cannot be read, an entry is not a plain file name, or a jar is missing
     */
    public static List<Path> read(Path systemDir) throws IOException {
        Path list = systemDir.resolve(FILE_NAME);
        List<Path> jars = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            lineNumber++;
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            if (entry.contains("/") || entry.equals(".") || entry.equals("..")) {
                throw new IOException(list + ":" + lineNumber + ": not a file name: " + entry);
            }
            Path jar = systemDir.resolve(entry);
            if (!Files.isRegularFile(jar)) {
                throw new IOException(list + ":" + lineNumber + ": no such file: " + jar);
            }
            jars.add(jar);
        }
        return jars;
    }
}
