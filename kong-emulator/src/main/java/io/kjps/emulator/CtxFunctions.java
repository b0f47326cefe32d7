package io.kjps.emulator;

import java.util.List;

/** {@code kong.ctx.shared.*}: the table shared by every plugin for the whole request. */
final class CtxFunctions implements PdkNamespace {

    @Override
    public PdkResult call(FakeState s, String phase, String m, List<Object> a) {
        return switch (m) {
            case "kong.ctx.shared.get" -> LuaArgs.get(s.shared, a);
            case "kong.ctx.shared.set" -> LuaArgs.put(s.shared, a);
            default -> s.unknown(m);
        };
    }
}
