package io.kjps.recordings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingsTest {

    @Test
    void theFolderHoldsExactlyTheNamedRecordings() {
        assertEquals(Recordings.NAMES.stream().sorted().toList(), Recordings.present());
    }

    @Test
    void everyRecordingHasItsMetadataAndLines() throws IOException {
        for (String name : Recordings.NAMES) {
            Path jsonl = Recordings.conversation(name);
            List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
            assertTrue(lines.size() > 2, name + " has traffic");
            assertTrue(lines.get(0).startsWith("{"), name + " is JSON lines");
            assertTrue(Files.isRegularFile(Recordings.directory().resolve(name + ".meta.json")), name + ".meta.json");
        }
    }

    @Test
    void dumpsAndPluginsAreReadable() throws IOException {
        for (String plugin : List.of("hello", "block", "pdkcheck")) {
            assertTrue(Files.readString(Recordings.file("dumps/" + plugin + ".json")).contains("\"" + plugin + "\""));
            assertTrue(Files.size(Recordings.file("plugins/" + plugin + ".js")) > 0);
        }
    }

    @Test
    void unknownNamesArePreciseErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recordings.conversation("hello"));
        assertTrue(e.getMessage().contains("no recorded conversation 'hello'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Recordings.file("dumps/none.json"));
        assertTrue(e.getMessage().contains("no file 'dumps/none.json'"), e.getMessage());
    }
}
