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
 *   <li>raw bodies are {@code byte[]}.</li>
 * </ul>
 *
 * <p>Calls not covered by a typed method can be made by name with {@link io.kjps.pdk.Kong#call(String, Object...)}.
 */
@Export
@Version("1.0.0")
package io.kjps.pdk;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
