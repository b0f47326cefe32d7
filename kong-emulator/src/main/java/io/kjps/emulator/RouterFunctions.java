package io.kjps.emulator;

import java.util.List;

/** {@code kong.router.*}: the fake request matched no route and no service, so both are nil. */
final class RouterFunctions implements PdkNamespace {

    @Override
    public PdkResult call(FakeState s, String phase, String m, List<Object> a) {
        return switch (m) {
            case "kong.router.get_route", "kong.router.get_service" -> PdkResult.nil();
            default -> s.unknown(m);
        };
    }
}
