package io.kjps.rpc.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kjps.plugin.config.Default;
import io.kjps.plugin.config.Name;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.rpc.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes {@link ConfigDecoder#decode} with arbitrary text (the input bytes as UTF-8) into config records of every supported shape. A
 * {@link ConfigException} is the only allowed failure; anything else (a runtime exception, an error, a hang) is a
 * finding. The committed corpus is {@code src/test/resources/io/kjps/rpc/fuzz/ConfigFuzzTestInputs/decode}.
 */
class ConfigFuzzTest {

    /** Scalars, with defaults and a renamed field. */
    public record Scalars(@Default("5") int count, long big, @Default("1.5") double ratio, boolean on,
                          @Default("\"x\"") String text, @Name("renamed") Short small, Byte tiny, Float f,
                          Character c, Mode mode) {
    }

    /** An enum field. */
    public enum Mode { FAST, SAFE }

    /** Containers. */
    public record Containers(List<String> names, Map<String, Integer> counts, Set<Long> ids, int[] ports,
                             List<List<Double>> matrix, Map<String, List<Mode>> modes, String[] tags) {
    }

    /** Nested records, as Kong's record fields. */
    public record Nested(Scalars scalars, List<Scalars> many, Map<String, Containers> byName,
                         @Default("{\"count\":2}") Scalars withDefault) {
    }

    /** A constructor that validates, as a plugin's may. */
    public record Validated(int limit) {
        /** Rejects negatives. */
        public Validated {
            if (limit < 0) {
                throw new IllegalArgumentException("negative");
            }
        }
    }

    private static final List<ConfigDecoder> DECODERS = List.of(ConfigDecoder.forType(Scalars.class),
            ConfigDecoder.forType(Containers.class), ConfigDecoder.forType(Nested.class),
            ConfigDecoder.forType(Validated.class), ConfigDecoder.forType(null));

    /** The on-demand campaign: the same target for up to an hour (see README, "Fuzzing"). */
    @FuzzTest(maxDuration = "60m")
    @DictionaryEntries({"{", "}", "[", "]", ":", ",", "null", "true", "false", "\"count\"", "\"names\"",
            "\"scalars\"", "\"many\"", "\"by_name\"", "\"limit\"", "\"mode\"", "\"ports\""})
    void decodeLong(byte[] json) throws Exception {
        decode(json);
    }

    /** The short campaign every build runs (surefire execution {@code fuzz-...} in the pom), and the replay. */
    @FuzzTest(maxDuration = "20s")
    @DictionaryEntries({"{", "}", "[", "]", ":", ",", "null", "true", "false", "\"", "1e400", "-1", "0.5",
            "\"count\"", "\"big\"", "\"ratio\"", "\"on\"", "\"text\"", "\"renamed\"", "\"tiny\"", "\"f\"",
            "\"c\"", "\"mode\"", "\"FAST\"", "\"names\"", "\"counts\"", "\"ids\"", "\"ports\"",
            "\"matrix\"", "\"modes\"", "\"tags\"", "\"scalars\"", "\"many\"", "\"by_name\"",
            "\"with_default\"", "\"limit\"", "\\u0000"})
    void decode(byte[] input) {
        String json = new String(input, StandardCharsets.UTF_8);
        for (ConfigDecoder d : DECODERS) {
            try {
                d.decode(json);
            } catch (ConfigException e) {
                if (e.getMessage() == null || e.getMessage().isEmpty()) {
                    throw new AssertionError("a config error without a reason", e);
                }
            }
        }
    }
}
