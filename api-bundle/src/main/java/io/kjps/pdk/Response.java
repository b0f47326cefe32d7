package io.kjps.pdk;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * {@code kong.response}: the response the client gets. Setters work in rewrite, access and response; getters also
 * in log (from Kong's snapshot).
 *
 * <p>{@link #exit} and {@link #error} end the request: Kong never answers them, the phase method should return
 * right after, and any later PDK call of the same event throws {@link PdkException}.
 */
@ProviderType
public interface Response {

    /**
     * @return {@code kong.response.get_status()}: an HTTP status, an {@code int} like {@link #setStatus} and
     *     {@link #exit} take (Kong's {@code ngx.status} is an integer; go-pdk's {@code GetStatus} returns {@code int})
     */
    int getStatus();

    /**
     * {@code kong.response.get_header(name)}.
     *
     * @param name the header name
     * @return the first value, or {@code null}
     */
    String getHeader(String name);

    /** @return {@code kong.response.get_headers()} */
    Map<String, List<String>> getHeaders();

    /** @return {@code kong.response.get_source()}: {@code "exit"}, {@code "error"} or {@code "service"} */
    String getSource();

    /**
     * {@code kong.response.set_status(status)}.
     *
     * @param status the HTTP status
     */
    void setStatus(int status);

    /**
     * {@code kong.response.set_header(name, value)}: replaces every value of the header.
     *
     * @param name the header name
     * @param value the value
     */
    void setHeader(String name, String value);

    /**
     * {@code kong.response.add_header(name, value)}: adds one more value.
     *
     * @param name the header name
     * @param value the value
     */
    void addHeader(String name, String value);

    /**
     * {@code kong.response.clear_header(name)}.
     *
     * @param name the header name
     */
    void clearHeader(String name);

    /**
     * {@code kong.response.set_headers(headers)}.
     *
     * @param headers header names to one value ({@code String}) or several ({@code List<String>})
     */
    void setHeaders(Map<String, ?> headers);

    /**
     * {@code kong.response.exit(status)}: ends the request with this status and no body. Terminal.
     *
     * @param status the HTTP status
     */
    void exit(int status);

    /**
     * {@code kong.response.exit(status, body)}. Terminal.
     *
     * @param status the HTTP status
     * @param body the body text, or a {@code Map} that Kong sends as JSON, or {@code byte[]}
     */
    void exit(int status, Object body);

    /**
     * {@code kong.response.exit(status, body, headers)}. Terminal.
     *
     * @param status the HTTP status
     * @param body the body text, a {@code Map} that Kong sends as JSON, {@code byte[]}, or {@code null} for none
     * @param headers header names to a {@code String} or a {@code List<String>}
     */
    void exit(int status, Object body, Map<String, ?> headers);

    /**
     * {@code kong.response.error(status)}: ends the request with Kong's standard error body for the status. Terminal.
     *
     * @param status the HTTP status
     */
    void error(int status);

    /**
     * {@code kong.response.error(status, message, headers)}. Terminal.
     *
     * @param status the HTTP status
     * @param message the message Kong puts into its error body, or {@code null} for the default
     * @param headers extra headers, or {@code null}
     */
    void error(int status, String message, Map<String, ?> headers);
}
