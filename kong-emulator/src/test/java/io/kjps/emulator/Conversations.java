package io.kjps.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kjps.emulator.internal.LuaJson;
import io.kjps.recordings.Recordings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Reads the recorded conversations of the kong-recordings module ({@link Recordings}). */
final class Conversations {
    private Conversations() {
    }

    static Path file(String name) {
        return Recordings.conversation(name.substring(0, name.length() - ".jsonl".length()));
    }

    /** Every recording, after checking that the folder holds exactly the known ones. */
    static List<Path> all() {
        assertEquals(Recordings.NAMES.stream().sorted().toList(), Recordings.present(), "recordings in the folder");
        return Recordings.conversations();
    }

    /** The file's lines as parsed JSON, in file order. */
    static List<Map<?, ?>> lines(Path file) {
        try {
            List<Map<?, ?>> out = new ArrayList<>();
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) {
                    out.add((Map<?, ?>) LuaJson.parse(l));
                }
            }
            assertFalse(out.isEmpty(), "empty recording " + file);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Map<?, ?>> messages(Path file, String dir) {
        return lines(file).stream().filter(l -> dir.equals(l.get("dir"))).toList();
    }

    static byte[] hex(Map<?, ?> line) {
        return HexFormat.of().parseHex((String) line.get("hex"));
    }
}
