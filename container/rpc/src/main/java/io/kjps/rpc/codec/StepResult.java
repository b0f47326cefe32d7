package io.kjps.rpc.codec;

/**
 * The result of {@code plugin.HandleEvent} and every {@code plugin.Step*}: {@code {"EventId": id, "Data": data}},
 * where data is {@code "ret"} or a {@link PdkCall}.
 *
 * @param eventId the event
 * @param data {@code "ret"} or the next PDK call
 */
public record StepResult(long eventId, Object data) {

    /** The data that ends an event. */
    public static final String RET = "ret";
}
