package io.kjps.emulator;

import java.util.Objects;

/**
 * What running a PDK function gave, from a {@link PdkHandler}: a value (possibly nil), a {@code nil, err} error
 * return, or a Lua error raised by the function.
 */
public final class PdkResult {
    private enum Kind { VALUE, ERROR, RAISE }

    private static final PdkResult NIL = new PdkResult(Kind.VALUE, null, null);

    private final Kind kind;
    private final Object value;
    private final String message;

    private PdkResult(Kind kind, Object value, String message) {
        this.kind = kind;
        this.value = value;
        this.message = message;
    }

    /**
     * @param value the function's first return value, packed with {@link KongPacker}'s rules (null = nil)
     * @return a normal return
     */
    public static PdkResult of(Object value) {
        return value == null ? NIL : new PdkResult(Kind.VALUE, value, null);
    }

    /** @return a nil return: the Step goes out without {@code Data} */
    public static PdkResult nil() {
        return NIL;
    }

    /**
     * A {@code return nil, err}. Kong 3.x keeps only the first return value, so this goes out like {@link #nil()};
     * in {@link KongEmulator.KongLine#KONG_2} mode it becomes {@code plugin.StepError} with the message as Data.
     *
     * @param message the error text
     * @return an error return
     */
    public static PdkResult error(String message) {
        return new PdkResult(Kind.ERROR, null, Objects.requireNonNull(message));
    }

    /**
     * The PDK function raised a Lua error (bad argument, wrong phase): Kong's handler dies and the event is
     * abandoned without another message to the server.
     *
     * @param message the Lua error text
     * @return a raise
     */
    public static PdkResult raise(String message) {
        return new PdkResult(Kind.RAISE, null, Objects.requireNonNull(message));
    }

    /** @return the returned value, null for nil, errors and raises */
    public Object value() {
        return value;
    }

    /** @return the error or raise message, else null */
    public String message() {
        return message;
    }

    /** @return whether this is a {@code nil, err} return */
    public boolean isError() {
        return kind == Kind.ERROR;
    }

    /** @return whether the function raised a Lua error */
    public boolean isRaise() {
        return kind == Kind.RAISE;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case VALUE -> "PdkResult[" + value + "]";
            case ERROR -> "PdkResult[nil, " + message + "]";
            case RAISE -> "PdkResult[raise " + message + "]";
        };
    }
}
