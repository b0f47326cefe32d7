package io.kjps.emulator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kjps.emulator.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Finds and reads the recorded conversations in {@code ../shared/kong-protocol/conversations}. */
final class Conversations {
    static final List<String> FILES = List.of("block.jsonl", "concurrency.jsonl", "config-change-close.jsonl",
            "config-change-reload.jsonl", "hello-alice.jsonl", "hello-noname.jsonl", "pdkcheck-error.jsonl",
            "pdkcheck-post.jsonl", "pdkcheck.jsonl", "restart.jsonl");

    private Conversations() {
    }

    /** The conversations directory: system property {@code kjps.conversations.dir}, or found walking up. Fails. */
    static Path dir() {
        String prop = System.getProperty("kjps.conversations.dir");
        if (prop != null && !prop.isBlank()) {
            Path d = Path.of(prop);
            assertTrue(Files.isDirectory(d), "kjps.conversations.dir is not a directory: " + d);
            return d;
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            Path c = d.resolve("../shared/kong-protocol/conversations").normalize();
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        return fail("recorded conversations not found: no ../shared/kong-protocol/conversations above " + start
                + " (set -Dkjps.conversations.dir)");
    }

    static Path file(String name) {
        Path p = dir().resolve(name);
        assertTrue(Files.isRegularFile(p), "missing recording " + p);
        return p;
    }

    /** Every .jsonl file, checked to include all the known ones. */
    static List<Path> all() {
        try (Stream<Path> s = Files.list(dir())) {
            List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
            List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
            assertTrue(names.containsAll(FILES), "recordings missing: " + FILES + " vs " + names);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's lines as parsed JSON, in file order. */
    static List<Map<?, ?>> lines(Path file) {
        try {
            List<Map<?, ?>> out = new ArrayList<>();
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) {
                    out.add((Map<?, ?>) Json.parse(l));
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
