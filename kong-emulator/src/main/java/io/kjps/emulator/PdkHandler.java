package io.kjps.emulator;

import java.util.List;

/**
 * Kong's PDK as seen by the emulator: runs the PDK function a server asked for and says what it returned.
 * {@link FakeRequest} is a ready-made implementation; tests can pass lambdas for special cases.
 */
@FunctionalInterface
public interface PdkHandler {
    /**
     * Runs one PDK function. {@code kong.response.exit} and {@code kong.response.error} are passed here too (so the
     * handler can record the response); their result is ignored unless it is a {@link PdkResult#raise raise}.
     * The emulator applies Kong's value fix-ups ({@code fix_mmap}, {@code fix_raw}) to the returned value, so return
     * Lua-shaped values: a multimap as a map of string / list-of-strings / {@code true}, a raw body as a string or
     * {@code byte[]}. A RuntimeException thrown here propagates out of {@link KongEmulator#handleEvent}.
     *
     * @param phase  the event's phase, e.g. {@code access}
     * @param method the dotted PDK path, e.g. {@code kong.request.get_header}
     * @param args   the arguments as Lua sees them (see {@link ReceivedPdkCall#args()})
     * @return the result; never null
     */
    PdkResult call(String phase, String method, List<Object> args);
}
