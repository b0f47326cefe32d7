package io.kjps.rpc.codec;

/**
 * Bounds on what one decoded message may declare, checked before anything is allocated, so a hostile or broken
 * peer (a declared 2 GB string, a million nested arrays) costs an error instead of the heap.
 *
 * @param maxStringBytes longest str payload
 * @param maxBinaryBytes longest bin or ext payload
 * @param maxContainerEntries most elements of one array or entries of one map
 * @param maxDepth deepest nesting of arrays and maps
 */
public record DecodeLimits(int maxStringBytes, int maxBinaryBytes, int maxContainerEntries, int maxDepth) {

    /**
     * Defaults sized for Kong: bodies and {@code kong.log.serialize} strings of tens of MB, headers and queries of
     * at most a few thousand entries, configs nested a few levels.
     */
    public static final DecodeLimits DEFAULT = new DecodeLimits(32 << 20, 32 << 20, 1 << 20, 64);
}
