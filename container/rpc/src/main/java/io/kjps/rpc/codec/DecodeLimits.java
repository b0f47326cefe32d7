package io.kjps.rpc.codec;

/**
 * Bounds on what one decoded message may declare, checked before anything is allocated, so a hostile or broken
 * peer (a declared 2 GB string, a million nested arrays, or millions of small values each within the other bounds)
 * costs an error instead of the heap.
 *
 * @param maxStringBytes longest str payload
 * @param maxBinaryBytes longest bin or ext payload
 * @param maxContainerEntries most elements of one array or entries of one map
 * @param maxDepth deepest nesting of arrays and maps
 * @param maxMessageBytes most str, bin and ext payload bytes in one message, all values together
 * @param maxMessageValues most values in one message, all levels together (a map entry is two)
 */
public record DecodeLimits(int maxStringBytes, int maxBinaryBytes, int maxContainerEntries, int maxDepth,
                           long maxMessageBytes, long maxMessageValues) {

    /**
     * Defaults sized for Kong: bodies and {@code kong.log.serialize} strings of tens of MB, headers and queries of
     * at most a few thousand entries, configs nested a few levels; one message at most 64 MB of payload and a
     * million values (Kong's largest, a body or a log entry, is one value; its multimaps hold a few thousand), which
     * the server's 256 MB heap survives on several connections at once.
     */
    public static final DecodeLimits DEFAULT = new DecodeLimits(32 << 20, 32 << 20, 1 << 20, 64, 64L << 20, 1 << 20);

    /**
     * Limits per value, with the default limits per message.
     *
     * @param maxStringBytes see the record
     * @param maxBinaryBytes see the record
     * @param maxContainerEntries see the record
     * @param maxDepth see the record
     */
    public DecodeLimits(int maxStringBytes, int maxBinaryBytes, int maxContainerEntries, int maxDepth) {
        this(maxStringBytes, maxBinaryBytes, maxContainerEntries, maxDepth, 64L << 20, 1 << 20);
    }
}
