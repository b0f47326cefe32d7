package io.kjps.emulator;

import static io.kjps.emulator.LuaArgs.arg;
import static io.kjps.emulator.LuaArgs.responseGetterPhase;

import java.util.List;

/** {@code kong.service.response.*}: the upstream's answer; the getters raise before Kong proxies. */
final class ServiceResponseFunctions implements PdkNamespace {

    @Override
    public PdkResult call(FakeState s, String phase, String m, List<Object> a) {
        switch (m) {
            case "kong.service.response.get_status":
                responseGetterPhase(phase);
                return PdkResult.of((long) s.upstreamStatus);
            case "kong.service.response.get_header":
                responseGetterPhase(phase);
                return PdkResult.of(s.upstreamHeaderList().first(LuaArgs.headerName(a)));
            case "kong.service.response.get_headers":
                responseGetterPhase(phase);
                return PdkResult.of(s.upstreamHeaderList().luaTable());
            case "kong.service.response.get_raw_body":
                responseGetterPhase(phase);
                return PdkResult.of(s.upstreamBodyBytes().clone());
            case "kong.service.response.get_body":
                responseGetterPhase(phase);
                return Bodies.parse(s.upstreamBodyBytes(), arg(a, 0), s.upstreamHeaderList().first("content-type"));
            default:
                return s.unknown(m);
        }
    }
}
