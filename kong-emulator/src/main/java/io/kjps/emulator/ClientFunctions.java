package io.kjps.emulator;

import java.util.List;

/** {@code kong.client.*}: the client's address from the builder; no consumer and no credential. */
final class ClientFunctions implements PdkNamespace {

    @Override
    public PdkResult call(FakeState s, String phase, String m, List<Object> a) {
        return switch (m) {
            case "kong.client.get_ip", "kong.client.get_forwarded_ip" -> PdkResult.of(s.clientIp);
            case "kong.client.get_port", "kong.client.get_forwarded_port" -> PdkResult.of(s.clientPort);
            case "kong.client.get_protocol" -> PdkResult.of(s.scheme);
            case "kong.client.get_credential", "kong.client.get_consumer" -> PdkResult.nil();
            default -> s.unknown(m);
        };
    }
}
