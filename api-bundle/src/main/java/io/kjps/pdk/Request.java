package io.kjps.pdk;

import java.util.List;
import java.util.Map;
import io.kjps.pdk.entity.UriCaptures;
import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.request}: the request as the client sent it. Phases: rewrite, access, response, log (headers only). */
@ProviderType
public interface Request {

    /** @return {@code kong.request.get_scheme()}: {@code http} or {@code https} */
    String getScheme();

    /** @return {@code kong.request.get_host()} */
    String getHost();

    /** @return {@code kong.request.get_port()} */
    long getPort();

    /** @return {@code kong.request.get_forwarded_scheme()} */
    String getForwardedScheme();

    /** @return {@code kong.request.get_forwarded_host()} */
    String getForwardedHost();

    /** @return {@code kong.request.get_forwarded_port()} */
    long getForwardedPort();

    /** @return {@code kong.request.get_http_version()}, for example 1.1 or 2 */
    double getHttpVersion();

    /** @return {@code kong.request.get_method()} */
    String getMethod();

    /** @return {@code kong.request.get_path()}: the normalized path */
    String getPath();

    /**
     * @return {@code kong.request.get_raw_path()}. Kong 3.0 and later; on older lines Kong answers nothing and this
     *         returns {@code null}
     */
    String getRawPath();

    /** @return {@code kong.request.get_path_with_query()} */
    String getPathWithQuery();

    /** @return {@code kong.request.get_raw_query()}, empty when there is none */
    String getRawQuery();

    /**
     * {@code kong.request.get_query_arg(name)}.
     *
     * @param name the argument name
     * @return the first value; {@code "true"} for a flag without a value; {@code null} when absent
     */
    String getQueryArg(String name);

    /** @return {@code kong.request.get_query()}: every argument with all its values (a flag has none) */
    Map<String, List<String>> getQuery();

    /**
     * {@code kong.request.get_header(name)}.
     *
     * @param name the header name, case-insensitive
     * @return the first value, or {@code null} when absent
     */
    String getHeader(String name);

    /** @return {@code kong.request.get_headers()}: header names in lower case, with every value */
    Map<String, List<String>> getHeaders();

    /** @return {@code kong.request.get_raw_body()}, or {@code null} when Kong has none in memory */
    byte[] getRawBody();

    /**
     * @return {@code kong.request.get_start_time()}: milliseconds since the epoch. Kong 3.0 and later; on older lines
     *         Kong answers nothing and this throws a {@link PdkException} saying so ({@link Nginx#reqStartTime()}
     *         works on every line, in seconds)
     */
    double getStartTime();

    /** @return {@code kong.request.get_forwarded_path()}: honouring {@code X-Forwarded-Path} from trusted proxies */
    String getForwardedPath();

    /** @return {@code kong.request.get_forwarded_prefix()}, or {@code null} */
    String getForwardedPrefix();

    /**
     * {@code kong.request.get_query(max_args)}.
     *
     * @param maxArgs the most arguments Kong parses (1 to 1000)
     * @return every argument with all its values (a flag has none)
     */
    Map<String, List<String>> getQuery(int maxArgs);

    /**
     * {@code kong.request.get_headers(max_headers)}.
     *
     * @param maxHeaders the most headers Kong reads (1 to 1000)
     * @return header names in lower case, with every value
     */
    Map<String, List<String>> getHeaders(int maxHeaders);

    /**
     * {@code kong.request.get_raw_body(max_allowed_file_size)} (the argument exists from Kong 3.8): also reads a body
     * nginx buffered to a file, up to this size.
     *
     * @param maxAllowedFileSize the largest file Kong reads, in bytes
     * @return the body, or {@code null}
     */
    byte[] getRawBody(long maxAllowedFileSize);

    /**
     * {@code kong.request.get_body()}: the body parsed by its content type (JSON, form, multipart). Phases: rewrite,
     * access, response, admin_api.
     *
     * @return a {@code Map<Object, Object>} or a {@code List<Object>} (a JSON array); an empty JSON object arrives as
     *         an empty list; {@code null} when Kong could not parse it
     */
    Object getBody();

    /**
     * {@code kong.request.get_body(mimetype)}.
     *
     * @param mimetype the content type to parse as, for example {@code application/json}
     * @return as {@link #getBody()}
     */
    Object getBody(String mimetype);

    /**
     * {@code kong.request.get_uri_captures()}: the regex captures of the route path. Phases: rewrite, access,
     * header_filter, response, body_filter, log. Kong 3.1 and later; older lines answer nothing, which reads as no
     * captures.
     *
     * @return the captures (both maps empty when the path had none)
     */
    UriCaptures getUriCaptures();
}
