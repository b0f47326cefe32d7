package io.kjps.pdk;

import io.kjps.pdk.entity.FormattedMemoryStats;
import io.kjps.pdk.entity.MemoryStats;
import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.node}: the Kong node. Every phase. */
@ProviderType
public interface Node {

    /** @return {@code kong.node.get_id()}: the node's UUID */
    String getId();

    /** @return {@code kong.node.get_hostname()} */
    String getHostname();

    /** @return {@code kong.node.get_memory_stats()}: memory use in bytes */
    MemoryStats getMemoryStats();

    /**
     * {@code kong.node.get_memory_stats(unit, scale)}: memory use as Kong formats it, for display. With {@code "k"},
     * {@code "m"} or {@code "g"} every size is text such as {@code "12.34 MiB"} (kibibytes, mebibytes, gibibytes,
     * {@code scale} decimals, rounded); with {@code "b"} it is the number of bytes as digits and Kong ignores
     * {@code scale}. For numbers to compute with, use {@link #getMemoryStats()}.
     *
     * <p>Both arguments are checked here, before anything is sent: Kong raises a Lua error for another unit or a
     * negative scale, which would abandon the whole event.
     *
     * @param unit {@code "b"}, {@code "k"}, {@code "m"} or {@code "g"}, in any case; sent as given
     * @param scale the number of decimals, 0 or more
     * @return the figures Kong sent; {@code null} when Kong sent nil (a Kong without the function)
     * @throws IllegalArgumentException for another unit, a {@code null} unit or a negative scale
     * @since 1.2
     */
    FormattedMemoryStats getMemoryStats(String unit, int scale);
}
