package io.kjps.emulator;

import java.util.List;

/**
 * One namespace of Kong's PDK as {@link FakeRequest} answers it ({@code kong.request}, {@code kong.response}, ...):
 * one small type per namespace, the way the server's {@code io.kjps.rpc.pdk} is split. {@link FakeRequest} routes a
 * method to its namespace; a namespace answers the methods it knows and treats any other as Kong does a method it
 * does not know ({@link FakeState#unknown}). Namespaces hold nothing: what they read and change is the request's
 * {@link FakeState}, so one instance of each serves every request.
 */
interface PdkNamespace {

    /**
     * @param s the request's state
     * @param phase the phase the event runs in
     * @param method the dotted PDK path, for example {@code kong.request.get_header}
     * @param args the arguments as Kong's Lua sees them
     * @return Kong's answer
     * @throws LuaArgs.Raise when Kong's function raises a Lua error
     */
    PdkResult call(FakeState s, String phase, String method, List<Object> args);
}
