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
    public int getStatus() {
        String m = "kong.response.get_status";
        return PdkResults.intValue(m, k.call(m));
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
            // no nil in the middle of Args: Lua's unpack would drop the headers (protocol.md §4.6, §4.12)
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
            // no nil in the middle of Args (protocol.md §4.6): Lua's unpack could drop the headers, so a missing message
            // is replaced by the text Kong itself would use for the status
            k.callTerminal("kong.response.error", status, message != null ? message : defaultMessage(status),
                    headers);
        } else if (message != null) {
            k.callTerminal("kong.response.error", status, message);
        } else {
            error(status);
        }
    }

    /** Kong's default error messages ({@code kong/pdk/response.lua}, HTTP_MESSAGES). */
    static String defaultMessage(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment required";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable";
            case 407 -> "Proxy authentication required";
            case 408 -> "Request timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length required";
            case 412 -> "Precondition failed";
            case 413 -> "Payload too large";
            case 414 -> "URI too long";
            case 415 -> "Unsupported media type";
            case 416 -> "Range not satisfiable";
            case 417 -> "Expectation failed";
            case 418 -> "I'm a teapot";
            case 421 -> "Misdirected request";
            case 422 -> "Unprocessable entity";
            case 423 -> "Locked";
            case 424 -> "Failed dependency";
            case 425 -> "Too early";
            case 426 -> "Upgrade required";
            case 428 -> "Precondition required";
            case 429 -> "Too many requests";
            case 431 -> "Request header fields too large";
            case 451 -> "Unavailable for legal reasons";
            case 494 -> "Request header or cookie too large";
            case 500 -> "An unexpected error occurred";
            case 501 -> "Not implemented";
            case 502 -> "An invalid response was received from the upstream server";
            case 503 -> "The upstream server is currently unavailable";
            case 504 -> "The upstream server is timing out";
            case 505 -> "HTTP version not supported";
            case 506 -> "Variant also negotiates";
            case 507 -> "Insufficient storage";
            case 508 -> "Loop detected";
            case 510 -> "Not extended";
            case 511 -> "Network authentication required";
            default -> "The upstream server responded with " + status;
        };
    }
}
