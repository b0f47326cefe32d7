package io.kjps.recordings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The recorded conversations of this module ({@code kong-recordings/README.md}): Kong 3.9.3's own plugin-server
 * client and PDK against Kong's JavaScript reference server, byte for byte.
 *
 * <p>The files are read from this module's jar (or its {@code target/classes} folder in an IDE) on the class path,
 * never by walking up from the working directory, so a test finds them wherever the checkout sits and whichever
 * module it runs in. Paths from a jar belong to a zip file system that stays open for the life of the JVM; read them
 * with {@link Files}, not {@code toFile()}.
 */
public final class Recordings {
    /** Every recorded conversation, without its {@code .jsonl} ending; the folder holds exactly these. */
    public static final List<String> NAMES = List.of("block", "concurrency", "config-change-close",
            "config-change-reload", "hello-alice", "hello-noname", "pdkcheck", "pdkcheck-error", "pdkcheck-post",
            "restart");

    private static final String FOLDER = "conversations";

    private static volatile Path directory;

    private Recordings() {
    }

    /** @return the folder of the recordings: the {@code .jsonl} and {@code .meta.json} files, dumps/ and plugins/ */
    public static Path directory() {
        Path d = directory;
        if (d == null) {
            synchronized (Recordings.class) {
                d = directory;
                if (d == null) {
                    d = locate();
                    directory = d;
                }
            }
        }
        return d;
    }

    /**
     * @param name a recording's name from {@link #NAMES}
     * @return its {@code .jsonl} file
     * @throws IllegalArgumentException for a name that is not a recording
     */
    public static Path conversation(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no recorded conversation '" + name + "'; the recordings are " + NAMES);
        }
        return directory().resolve(name + ".jsonl");
    }

    /**
     * @param relative a file below the folder, such as {@code dumps/hello.json} or {@code plugins/hello.js}
     * @return that file
     * @throws IllegalArgumentException when it does not exist
     */
    public static Path file(String relative) {
        Path p = directory().resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no file '" + relative + "' among the recordings in " + directory());
        }
        return p;
    }

    /** @return the {@code .jsonl} file of every recording, in the order of {@link #NAMES} */
    public static List<Path> conversations() {
        return NAMES.stream().map(Recordings::conversation).toList();
    }

    /** @return the names of the {@code .jsonl} files actually in the folder, sorted (tests compare it with NAMES) */
    public static List<String> present() {
        try (Stream<Path> s = Files.list(directory())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsonl"))
                    .map(n -> n.substring(0, n.length() - ".jsonl".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path locate() {
        URL url = Recordings.class.getResource(FOLDER);
        if (url == null) {
            throw new IllegalStateException("the recordings are not on the class path next to " + Recordings.class);
        }
        try {
            URI uri = url.toURI();
            if (!"jar".equals(uri.getScheme())) {
                return Path.of(uri);
            }
            FileSystem zip;
            try {
                zip = FileSystems.newFileSystem(uri, Map.of());
            } catch (FileSystemAlreadyExistsException e) {
                zip = FileSystems.getFileSystem(uri);
            }
            return zip.provider().getPath(uri);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot open the recordings at " + url, e);
        }
    }
}
