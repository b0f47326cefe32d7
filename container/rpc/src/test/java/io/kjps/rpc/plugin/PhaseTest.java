package io.kjps.rpc.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kjps.model.PluginRules;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PhaseTest {

    /** The enum is the typed view of the model's phase list: the same names, in the same order. */
    @Test
    void enumIsThePhaseListOfTheModel() {
        assertEquals(PluginRules.PHASES, Arrays.stream(Phase.values()).map(Phase::kongName).toList());
        for (String name : PluginRules.PHASES) {
            assertEquals(name, Phase.fromKong(name).kongName());
        }
    }

    @Test
    void otherNamesAreNoPhase() {
        assertNull(Phase.fromKong("ACCESS"));
        assertNull(Phase.fromKong("header_filter"));
        assertNull(Phase.fromKong(null));
    }
}
