package io.kjps.emulator;

import java.util.List;

/**
 * How one event ({@code handle_event} of one plugin in one phase) went.
 *
 * @param eventId         the {@code EventId} from the HandleEvent result (null if the server sent none)
 * @param ending          how it ended
 * @param calls           every PDK call the server asked for, in order, the terminal one included
 * @param terminalCall    the {@code kong.response.exit}/{@code error} call, or the call that raised; null for
 *                        {@link Ending#RET}
 * @param abandonReason   the Lua error text for {@link Ending#ABANDONED}, else null
 * @param instanceRetries how many times the event was retried after a "no plugin instance" error (only through
 *                        {@link ConfiguredPlugin})
 */
public record EventOutcome(Long eventId, Ending ending, List<ReceivedPdkCall> calls, ReceivedPdkCall terminalCall,
                           String abandonReason, int instanceRetries) {

    /** How an event ends from Kong's side. */
    public enum Ending {
        /** The server answered {@code "ret"}. */
        RET,
        /** The server asked for {@code kong.response.exit}: nothing more is sent for the event. */
        EXIT,
        /** The server asked for {@code kong.response.error}: nothing more is sent for the event. */
        ERROR,
        /** A PDK call raised a Lua error: Kong's handler died, nothing more is sent for the event. */
        ABANDONED
    }

    /**
     * Makes {@code calls} unmodifiable.
     *
     * @param eventId         the EventId, or null
     * @param ending          how the event ended
     * @param calls           the PDK calls
     * @param terminalCall    the terminal or raising call, or null
     * @param abandonReason   the Lua error for ABANDONED, else null
     * @param instanceRetries retries after "no plugin instance"
     */
    public EventOutcome {
        calls = List.copyOf(calls);
    }

    /** @return the terminal call's arguments (empty for {@link Ending#RET}) */
    public List<Object> terminalArgs() {
        return terminalCall == null ? List.of() : terminalCall.args();
    }

    /** @return the PDK method names of {@link #calls()}, in order */
    public List<String> methods() {
        return calls.stream().map(ReceivedPdkCall::method).toList();
    }

    EventOutcome withRetries(int retries) {
        return new EventOutcome(eventId, ending, calls, terminalCall, abandonReason, retries);
    }
}
