package io.kjps.pdk;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.service.response}: the upstream's response. Phases: response, log. */
@ProviderType
public interface ServiceResponse {

    /** @return {@code kong.service.response.get_status()} */
    long getStatus();

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
}
