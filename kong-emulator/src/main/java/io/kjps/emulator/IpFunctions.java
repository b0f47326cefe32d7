package io.kjps.emulator;

import java.util.List;

/** {@code kong.ip.*}: no address is a trusted proxy. */
final class IpFunctions implements PdkNamespace {
    private final FakeState s;

    IpFunctions(FakeState state) {
        this.s = state;
    }

    @Override
    public PdkResult call(String phase, String m, List<Object> a) {
        return m.equals("kong.ip.is_trusted") ? PdkResult.of(false) : s.unknown(m);
    }
}
