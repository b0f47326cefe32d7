/**
 * The typed Kong PDK: one small interface per Kong namespace, named as in Kong's Lua PDK so a Lua author finds
 * everything where they expect it ({@code kong.service.request.set_header} is
 * {@code kong.service().request().setHeader(...)}).
 *
 * <p>Every method is a blocking call answered by Kong over the plugin socket. What Kong's MsgPack encoding turns
 * into what a Java caller sees:
 * <ul>
 *   <li>a nil result (Kong leaves {@code Data} out) is {@code null}; Kong 3.x also turns PDK errors into nil,
 *       Kong 2.x sends them as errors, which become a {@link PdkException};</li>
 *   <li>strings arrive as msgpack str even when they are not UTF-8; they are decoded as UTF-8 when valid and as
 *       ISO-8859-1 (one char per byte, lossless) otherwise;</li>
 *   <li>numbers Kong means as floats may arrive as integers; methods returning {@code double} accept both;</li>
 *   <li>multi-value results (headers, query) are {@code Map<String, List<String>>}: a query flag {@code ?a} is an
 *       empty list, and a flag inside a list is the string {@code "true"};</li>
 *   <li>an empty Lua table arrives as an empty list even where a map is meant;</li>
 *   <li>raw bodies are {@code byte[]}, whether Kong sends msgpack bin (3.x) or str (2.x);</li>
 *   <li>integer-keyed tables (the unnamed URI captures, whose key 0 is the whole match) are
 *       {@code Map<Integer, String>} in {@link io.kjps.pdk.entity.UriCaptures}; a Lua array there counts from 1;</li>
 *   <li>{@code kong.log.serialize()} is the JSON text Kong produces ({@link io.kjps.pdk.Log#serialize()}), not a
 *       map;</li>
 *   <li>entities (route, service, consumer, credential, memory stats, vault references) are records in
 *       {@link io.kjps.pdk.entity} with the whole table in {@code raw()}; nil is {@code null};</li>
 *   <li>parsed bodies ({@code get_body}) and ctx values are plain {@code Map<Object, Object>} / {@code List<Object>}
 *       trees; a JSON null inside keeps its key with a {@code null} value;</li>
 *   <li>arguments never carry a nil in the middle (Lua's {@code unpack} would cut the list there):
 *       {@code exit(status, null, headers)} sends {@code ""} as the body, {@code error(status, null, headers)}
 *       Kong's own default message, optional trailing arguments are left out rather than sent as nil, and
 *       {@code authenticate(null, credential)} is refused with {@link IllegalArgumentException};</li>
 *   <li>{@code plugin.StepError} (Kong 2.x {@code nil, err}) and calls after the event ended throw
 *       {@link io.kjps.pdk.PdkException}.</li>
 * </ul>
 *
 * <p>Not reachable from an external plugin's phases, so not typed: {@code kong.response.get_raw_body} and
 * {@code set_raw_body} (body_filter only; to change the client body in the response phase, read
 * {@code kong.service().response().getRawBody()} and end with {@code kong.response().exit(status, body, headers)}),
 * functions that take Lua callbacks ({@code set_target_retry_callback}) and the method tables of
 * {@code kong.telemetry} / {@code kong.tracing}. {@link io.kjps.pdk.Kong#call} reaches everything else by name.
 *
 * <p>Calls not covered by a typed method can be made by name with {@link io.kjps.pdk.Kong#call(String, Object...)}.
 */
@Export
@Version("2.0.0")
package io.kjps.pdk;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
