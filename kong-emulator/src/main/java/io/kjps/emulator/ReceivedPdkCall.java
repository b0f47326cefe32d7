package io.kjps.emulator;

import java.util.List;

/**
 * One PDK call the server asked Kong to run: {@code {"Method": method, "Args": args}}.
 *
 * @param method the dotted PDK path, e.g. {@code kong.request.get_header}
 * @param args   the arguments as Kong's Lua sees them (bin and str both as strings, ext as null, map entries with
 *               nil values dropped, trailing nils dropped); unmodifiable
 */
public record ReceivedPdkCall(String method, List<Object> args) {
    /**
     * Makes {@code args} an unmodifiable copy (nulls allowed).
     *
     * @param method the dotted PDK path
     * @param args   the arguments
     */
    public ReceivedPdkCall {
        args = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
    }

    /**
     * @param i index
     * @return argument {@code i}, or null when absent (a Lua nil)
     */
    public Object arg(int i) {
        return i < args.size() ? args.get(i) : null;
    }
}
