package io.kjps.pdk;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.service.request}: changes to the request Kong sends upstream. Phases: rewrite, access. */
@ProviderType
public interface ServiceRequest {

    /**
     * {@code kong.service.request.set_scheme(scheme)}.
     *
     * @param scheme {@code http} or {@code https}
     */
    void setScheme(String scheme);

    /**
     * {@code kong.service.request.set_path(path)}.
     *
     * @param path the path, starting with {@code /}
     */
    void setPath(String path);

    /**
     * {@code kong.service.request.set_raw_query(query)}.
     *
     * @param query the query string without {@code ?}
     */
    void setRawQuery(String query);

    /**
     * {@code kong.service.request.set_method(method)}.
     *
     * @param method the HTTP method
     */
    void setMethod(String method);

    /**
     * {@code kong.service.request.set_header(name, value)}.
     *
     * @param name the header name
     * @param value the value
     */
    void setHeader(String name, String value);

    /**
     * {@code kong.service.request.add_header(name, value)}.
     *
     * @param name the header name
     * @param value the value
     */
    void addHeader(String name, String value);

    /**
     * {@code kong.service.request.clear_header(name)}.
     *
     * @param name the header name
     */
    void clearHeader(String name);

    /**
     * {@code kong.service.request.set_headers(headers)}.
     *
     * @param headers header names to a {@code String} or a {@code List<String>}
     */
    void setHeaders(Map<String, ?> headers);

    /**
     * {@code kong.service.request.set_raw_body(body)}.
     *
     * @param body the body bytes
     */
    void setRawBody(byte[] body);

    /**
     * {@code kong.service.request.enable_buffering()}: Kong reads the whole upstream response, so the response phase
     * sees it (and {@link ServiceResponse#getRawBody()} works). Phases: rewrite, access, balancer.
     */
    void enableBuffering();

    /**
     * {@code kong.service.request.set_query(args)}: replaces the query string. Phases: rewrite, access.
     *
     * @param args names to a {@code String}, {@code Boolean} (a flag) or a {@code List} of them
     */
    void setQuery(Map<String, ?> args);

    /**
     * {@code kong.service.request.clear_query_arg(name)}. Phases: rewrite, access. Kong 3.9 and later; on older lines
     * Kong ignores the call (read the query with {@link Request#getQuery()} and {@link #setQuery} without it).
     *
     * @param name the argument to remove
     */
    void clearQueryArg(String name);

    /**
     * {@code kong.service.request.set_body(args, mimetype)}: encodes the body by content type (JSON, form,
     * multipart). Phases: rewrite, access.
     *
     * @param args the body fields
     * @param mimetype the content type, or {@code null} to use the request's
     */
    void setBody(Map<String, ?> args, String mimetype);

    /**
     * {@code kong.service.request.disable_tls()}: plain connection to an https upstream. Phases: rewrite, access,
     * balancer. For HTTP plugins, Kong after 3.9 (master); earlier lines have it for stream plugins only and ignore
     * the call from an HTTP plugin.
     */
    void disableTls();

    /**
     * {@code kong.service.request.enable_tls()}: undoes {@link #disableTls()}. Phases: rewrite, access, balancer.
     * Kong after 3.9 (master); earlier lines ignore the call.
     */
    void enableTls();
}
