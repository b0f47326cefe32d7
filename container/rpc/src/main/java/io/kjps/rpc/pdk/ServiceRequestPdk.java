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

    @Override
    public void enableBuffering() {
        k.call("kong.service.request.enable_buffering");
    }

    @Override
    public void setQuery(Map<String, ?> args) {
        k.call("kong.service.request.set_query", args);
    }

    @Override
    public void clearQueryArg(String name) {
        k.call("kong.service.request.clear_query_arg", name);
    }

    @Override
    public void setBody(Map<String, ?> args, String mimetype) {
        if (mimetype == null) {
            k.call("kong.service.request.set_body", args);
        } else {
            k.call("kong.service.request.set_body", args, mimetype);
        }
    }

    @Override
    public void disableTls() {
        k.call("kong.service.request.disable_tls");
    }

    @Override
    public void enableTls() {
        k.call("kong.service.request.enable_tls");
    }
}
