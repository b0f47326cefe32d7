package io.kjps.rpc.pdk;

import io.kjps.pdk.Request;
import io.kjps.pdk.entity.UriCaptures;
import java.util.List;
import java.util.Map;

/** {@code kong.request} over a {@link PdkCaller}. */
final class RequestPdk implements Request {
    private final PdkCaller k;

    RequestPdk(PdkCaller caller) {
        this.k = caller;
    }

    private String str(String m, Object... args) {
        return PdkResults.string(m, k.call(m, args));
    }

    private long num(String m) {
        return PdkResults.longValue(m, k.call(m));
    }

    @Override
    public String getScheme() {
        return str("kong.request.get_scheme");
    }

    @Override
    public String getHost() {
        return str("kong.request.get_host");
    }

    @Override
    public long getPort() {
        return num("kong.request.get_port");
    }

    @Override
    public String getForwardedScheme() {
        return str("kong.request.get_forwarded_scheme");
    }

    @Override
    public String getForwardedHost() {
        return str("kong.request.get_forwarded_host");
    }

    @Override
    public long getForwardedPort() {
        return num("kong.request.get_forwarded_port");
    }

    @Override
    public double getHttpVersion() {
        String m = "kong.request.get_http_version";
        return PdkResults.doubleValue(m, k.call(m));
    }

    @Override
    public String getMethod() {
        return str("kong.request.get_method");
    }

    @Override
    public String getPath() {
        return str("kong.request.get_path");
    }

    @Override
    public String getRawPath() {
        return str("kong.request.get_raw_path");
    }

    @Override
    public String getPathWithQuery() {
        return str("kong.request.get_path_with_query");
    }

    @Override
    public String getRawQuery() {
        return str("kong.request.get_raw_query");
    }

    @Override
    public String getQueryArg(String name) {
        String m = "kong.request.get_query_arg";
        Object v = k.call(m, name);
        if (v instanceof List<?> list) {
            return list.isEmpty() ? null : PdkResults.string(m, list.get(0));
        }
        return PdkResults.string(m, v);
    }

    @Override
    public Map<String, List<String>> getQuery() {
        String m = "kong.request.get_query";
        return PdkResults.multimap(m, k.call(m));
    }

    @Override
    public String getHeader(String name) {
        return str("kong.request.get_header", name);
    }

    @Override
    public Map<String, List<String>> getHeaders() {
        String m = "kong.request.get_headers";
        return PdkResults.multimap(m, k.call(m));
    }

    @Override
    public byte[] getRawBody() {
        String m = "kong.request.get_raw_body";
        return PdkResults.bytes(m, k.call(m));
    }

    @Override
    public double getStartTime() {
        String m = "kong.request.get_start_time";
        return PdkResults.doubleValue(m, k.call(m));
    }

    @Override
    public String getForwardedPath() {
        return str("kong.request.get_forwarded_path");
    }

    @Override
    public String getForwardedPrefix() {
        return str("kong.request.get_forwarded_prefix");
    }

    @Override
    public Map<String, List<String>> getQuery(int maxArgs) {
        String m = "kong.request.get_query";
        return PdkResults.multimap(m, k.call(m, maxArgs));
    }

    @Override
    public Map<String, List<String>> getHeaders(int maxHeaders) {
        String m = "kong.request.get_headers";
        return PdkResults.multimap(m, k.call(m, maxHeaders));
    }

    @Override
    public byte[] getRawBody(long maxAllowedFileSize) {
        String m = "kong.request.get_raw_body";
        return PdkResults.bytes(m, k.call(m, maxAllowedFileSize));
    }

    @Override
    public Object getBody() {
        return k.call("kong.request.get_body");
    }

    @Override
    public Object getBody(String mimetype) {
        return mimetype == null ? getBody() : k.call("kong.request.get_body", mimetype);
    }

    @Override
    public UriCaptures getUriCaptures() {
        String m = "kong.request.get_uri_captures";
        return Entities.uriCaptures(m, k.call(m));
    }
}
