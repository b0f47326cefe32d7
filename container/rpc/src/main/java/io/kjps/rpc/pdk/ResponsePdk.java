package io.kjps.rpc.pdk;

import io.kjps.pdk.Response;
import java.util.List;
import java.util.Map;

/** {@code kong.response} over a {@link PdkCaller}; exit and error are terminal. */
final class ResponsePdk implements Response {
    private final PdkCaller k;

    ResponsePdk(PdkCaller caller) {
        this.k = caller;
    }

    @Override
    public long getStatus() {
        String m = "kong.response.get_status";
        return PdkResults.longValue(m, k.call(m));
    }

    @Override
    public String getHeader(String name) {
        String m = "kong.response.get_header";
        return PdkResults.string(m, k.call(m, name));
    }

    @Override
    public Map<String, List<String>> getHeaders() {
        String m = "kong.response.get_headers";
        return PdkResults.multimap(m, k.call(m));
    }

    @Override
    public String getSource() {
        String m = "kong.response.get_source";
        return PdkResults.string(m, k.call(m));
    }

    @Override
    public void setStatus(int status) {
        k.call("kong.response.set_status", status);
    }

    @Override
    public void setHeader(String name, String value) {
        k.call("kong.response.set_header", name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        k.call("kong.response.add_header", name, value);
    }

    @Override
    public void clearHeader(String name) {
        k.call("kong.response.clear_header", name);
    }

    @Override
    public void setHeaders(Map<String, ?> headers) {
        k.call("kong.response.set_headers", headers);
    }

    @Override
    public void exit(int status) {
        k.callTerminal("kong.response.exit", status);
    }

    @Override
    public void exit(int status, Object body) {
        if (body == null) {
            exit(status);
        } else {
            k.callTerminal("kong.response.exit", status, body);
        }
    }

    @Override
    public void exit(int status, Object body, Map<String, ?> headers) {
        if (headers == null) {
            exit(status, body);
        } else {
            // no nil in the middle of Args: Lua's unpack would drop the headers (SPEC §4.6, §4.12)
            k.callTerminal("kong.response.exit", status, body == null ? "" : body, headers);
        }
    }

    @Override
    public void error(int status) {
        k.callTerminal("kong.response.error", status);
    }

    @Override
    public void error(int status, String message, Map<String, ?> headers) {
        if (headers != null) {
            // Kong's error() treats a nil message as "use the default"; an empty string would be sent as is
            k.callTerminal("kong.response.error", status, message, headers);
        } else if (message != null) {
            k.callTerminal("kong.response.error", status, message);
        } else {
            error(status);
        }
    }
}
