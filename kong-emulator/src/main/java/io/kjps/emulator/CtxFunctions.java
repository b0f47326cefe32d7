package io.kjps.emulator;

import static io.kjps.emulator.LuaArgs.arg;

import java.util.List;

/** {@code kong.ctx.shared.*}: the table shared by every plugin for the whole request. */
final class CtxFunctions implements PdkNamespace {
    private final FakeState s;

    CtxFunctions(FakeState state) {
        this.s = state;
    }

    @Override
    public PdkResult call(String phase, String m, List<Object> a) {
        return switch (m) {
            case "kong.ctx.shared.get" -> PdkResult.of(a.isEmpty() ? null : s.shared.get(arg(a, 0)));
            case "kong.ctx.shared.set" -> LuaArgs.put(s.shared, a);
            default -> s.unknown(m);
        };
    }
}
