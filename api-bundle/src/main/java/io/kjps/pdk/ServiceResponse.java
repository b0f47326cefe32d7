package io.kjps.pdk;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.service.response}: the upstream's response. Phases: response, log. */
@ProviderType
public interface ServiceResponse {

    /**
     * @return {@code kong.service.response.get_status()}: an HTTP status, an {@code int} like every status this PDK
     *     takes (Kong's {@code ngx.status} is an integer; go-pdk's {@code GetStatus} returns {@code int} too)
     */
    int getStatus();

    /**
     * {@code kong.service.response.get_header(name)}.
     *
     * @param name the header name
     * @return the first value, or {@code null}
     */
    String getHeader(String name);

    /** @return {@code kong.service.response.get_headers()} */
    Map<String, List<String>> getHeaders();

    /** @return {@code kong.service.response.get_raw_body()} (response phase, buffered proxying) */
    byte[] getRawBody();

    /**
     * {@code kong.service.response.get_headers(max_headers)}. Phases: header_filter, response, body_filter, log.
     *
     * @param maxHeaders the most headers Kong reads
     * @return header names to every value
     */
    Map<String, List<String>> getHeaders(int maxHeaders);

    /**
     * {@code kong.service.response.get_body()}: the upstream body parsed by its content type. Phase: response
     * (needs buffering).
     *
     * @return a {@code Map<Object, Object>} or {@code List<Object>}, or {@code null}
     */
    Object getBody();

    /**
     * {@code kong.service.response.get_body(mimetype)}.
     *
     * @param mimetype the content type to parse as
     * @return as {@link #getBody()}
     */
    Object getBody(String mimetype);
}
