package io.kjps.samples.faulty;

import io.kjps.plugin.config.Default;

/**
 * The config of the {@code faulty} plugins: {@code limit} must be an integer, and a negative one is rejected by
 * the constructor, so StartInstance can be made to fail while decoding.
 *
 * @param limit echoed in {@code x-faulty}
 */
public record FaultyConfig(@Default("1") int limit) {

    /** @throws IllegalArgumentException for a negative limit */
    public FaultyConfig {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
    }
}
