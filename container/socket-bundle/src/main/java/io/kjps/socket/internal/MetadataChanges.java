package io.kjps.socket.internal;

import io.kjps.model.PluginDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the metadata of two revisions of a plugin for what Kong reads only at its start (protocol.md §2.1): name,
 * priority, phases and schema. A change of any of them needs {@code kong reload}; the version alone does not.
 */
final class MetadataChanges {
    private MetadataChanges() {
    }

    /**
     * @param before the revision served before
     * @param after the new revision
     * @return one text per change Kong must learn about, empty when Kong needs nothing
     */
    static List<String> between(PluginDescriptor before, PluginDescriptor after) {
        List<String> changes = new ArrayList<>();
        if (!before.name().equals(after.name())) {
            changes.add("name " + before.name() + " -> " + after.name());
        }
        if (before.priority() != after.priority()) {
            changes.add("priority " + before.priority() + " -> " + after.priority());
        }
        Set<String> oldPhases = new TreeSet<>(before.phases());
        Set<String> newPhases = new TreeSet<>(after.phases());
        if (!oldPhases.equals(newPhases)) {
            Set<String> added = new TreeSet<>(newPhases);
            added.removeAll(oldPhases);
            Set<String> removed = new TreeSet<>(oldPhases);
            removed.removeAll(newPhases);
            changes.add("phases " + String.join(",", oldPhases) + " -> " + String.join(",", newPhases)
                    + (added.isEmpty() ? "" : " (added " + String.join(",", added) + ": Kong will not call them)")
                    + (removed.isEmpty() ? "" : " (removed " + String.join(",", removed)
                    + ": Kong still calls them, answered ret)"));
        }
        if (!before.schemaJson().equals(after.schemaJson())) {
            changes.add("schema " + before.schemaJson() + " -> " + after.schemaJson());
        }
        return changes;
    }
}
