package io.kjps.rpc.pdk;

import io.kjps.pdk.ServiceResponse;
import java.util.List;
import java.util.Map;

/** {@code kong.service.response} over a {@link PdkCaller}. */
final class ServiceResponsePdk implements ServiceResponse {
    private final PdkCaller k;

    ServiceResponsePdk(PdkCaller caller) {
        this.k = caller;
    }

    @Override
    public int getStatus() {
        String m = "kong.service.response.get_status";
        return PdkResults.intValue(m, k.call(m));
    }

    @Override
    public String getHeader(String name) {
        String m = "kong.service.response.get_header";
        return PdkResults.string(m, k.call(m, name));
    }

    @Override
    public Map<String, List<String>> getHeaders() {
        String m = "kong.service.response.get_headers";
        return PdkResults.multimap(m, k.call(m));
    }

    @Override
    public byte[] getRawBody() {
        String m = "kong.service.response.get_raw_body";
        return PdkResults.bytes(m, k.call(m));
    }

    @Override
    public Map<String, List<String>> getHeaders(int maxHeaders) {
        String m = "kong.service.response.get_headers";
        return PdkResults.multimap(m, k.call(m, maxHeaders));
    }

    @Override
    public Object getBody() {
        return k.call("kong.service.response.get_body");
    }

    @Override
    public Object getBody(String mimetype) {
        return mimetype == null ? getBody() : k.call("kong.service.response.get_body", mimetype);
    }
}
