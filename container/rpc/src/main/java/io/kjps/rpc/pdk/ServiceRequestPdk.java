package io.kjps.rpc.pdk;

import io.kjps.pdk.ServiceRequest;
import java.util.Map;

/** {@code kong.service.request} over a {@link PdkCaller}. */
final class ServiceRequestPdk implements ServiceRequest {
    private final PdkCaller k;

    ServiceRequestPdk(PdkCaller caller) {
        this.k = caller;
    }

    @Override
    public void setScheme(String scheme) {
        k.call("kong.service.request.set_scheme", scheme);
    }

    @Override
    public void setPath(String path) {
        k.call("kong.service.request.set_path", path);
    }

    @Override
    public void setRawQuery(String query) {
        k.call("kong.service.request.set_raw_query", query);
    }

    @Override
    public void setMethod(String method) {
        k.call("kong.service.request.set_method", method);
    }

    @Override
    public void setHeader(String name, String value) {
        k.call("kong.service.request.set_header", name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        k.call("kong.service.request.add_header", name, value);
    }

    @Override
    public void clearHeader(String name) {
        k.call("kong.service.request.clear_header", name);
    }

    @Override
    public void setHeaders(Map<String, ?> headers) {
        k.call("kong.service.request.set_headers", headers);
    }

    @Override
    public void setRawBody(byte[] body) {
        k.call("kong.service.request.set_raw_body", (Object) body);
    }
}
