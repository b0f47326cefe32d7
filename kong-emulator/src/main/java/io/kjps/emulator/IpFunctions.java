package io.kjps.emulator;

import java.util.List;

/** {@code kong.ip.*}: no address is a trusted proxy. */
final class IpFunctions implements PdkNamespace {

    @Override
    public PdkResult call(FakeState s, String phase, String m, List<Object> a) {
        return m.equals("kong.ip.is_trusted") ? PdkResult.of(false) : s.unknown(m);
    }
}
