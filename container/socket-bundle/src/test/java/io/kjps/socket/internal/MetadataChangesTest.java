package io.kjps.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kjps.model.PluginDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataChangesTest {
    private static PluginDescriptor descriptor(String name, String version, int priority, String phases,
                                               String field) {
        return PluginDescriptor.parse("{\"Kong\":{\"Name\":\"" + name + "\",\"Version\":\"" + version
                + "\",\"Priority\":" + priority + ",\"Phases\":[" + phases + "],\"Schema\":{\"name\":\"" + name
                + "\",\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":[{\"" + field
                + "\":{\"type\":\"string\"}}]}}]}},\"Handler\":\"a.B\",\"ConfigType\":\"a.B$Config\"}");
    }

    @Test
    void versionAloneIsNothingKongNeedsToLearn() {
        assertEquals(List.of(), MetadataChanges.between(descriptor("p", "1.0.0", 10, "\"access\"", "f"),
                descriptor("p", "1.0.1", 10, "\"access\"", "f")));
    }

    @Test
    void priorityPhasesAndSchemaAreEachNamed() {
        List<String> changes = MetadataChanges.between(descriptor("p", "1.0.0", 10, "\"access\",\"log\"", "f"),
                descriptor("p", "2.0.0", 20, "\"access\",\"response\"", "g"));
        assertEquals(3, changes.size(), changes.toString());
        assertEquals("priority 10 -> 20", changes.get(0));
        assertEquals("phases access,log -> access,response (added response: Kong will not call them)"
                + " (removed log: Kong still calls them, answered ret)", changes.get(1));
        assertEquals(true, changes.get(2).startsWith("schema {"), changes.get(2));
        assertEquals(true, changes.get(2).contains("\"f\"") && changes.get(2).contains("\"g\""), changes.get(2));
    }

    /** The socket bundle reads descriptors by the model's version rule: Kong keeps 1.0, refuses or rewrites the rest. */
    @Test
    void versionRuleIsTheModels() {
        assertEquals("1.2.3", descriptor("p", "1.2.3", 10, "\"access\"", "f").version());
        assertEquals("1.0", descriptor("p", "1.0", 10, "\"access\"", "f").version());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> descriptor("p", "1.0.0-SNAPSHOT", 10, "\"access\"", "f"));
        assertEquals("plugin p version \"1.0.0-SNAPSHOT\" "
                + io.kjps.model.PluginRules.versionProblem("1.0.0-SNAPSHOT"), e.getMessage());
    }
}
