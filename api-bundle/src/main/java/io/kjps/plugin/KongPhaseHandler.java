package io.kjps.plugin;

import io.kjps.pdk.Kong;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The service a plugin bundle registers: one method per Kong phase that an external plugin can handle.
 *
 * <p>Every method has an empty default. The phases a plugin declares to Kong are exactly the methods its class
 * overrides (found at build time by the annotation processor), in Kong's order: certificate, rewrite, access,
 * response, preread, log. Declaring {@code response} turns on Kong's buffered proxying for every request the plugin
 * runs on, so override it only when you need it.
 *
 * <p>Each call runs on a platform thread of its own, on every Java version (usually the thread that read Kong's call
 * from the socket). PDK calls through {@code kong} block until Kong answers. Implementations must be thread-safe: one handler object serves every instance and event
 * of the plugin; per-instance state belongs in the config object, per-request state in {@code kong.ctx()}.
 *
 * <p>An exception thrown from a phase method is logged with its stack trace and the request is failed closed: the
 * server ends it with {@code kong.response.error(500)} (the log phase just ends, since the response is already
 * sent). See the project README, "Plugin faults".
 *
 * @param <C> the plugin's config type: a record or class whose fields mirror the plugin's Kong config schema;
 *            use {@link Void} for a plugin without config fields
 */
@ConsumerType
public interface KongPhaseHandler<C> {

    /**
     * {@code ssl_certificate_by_lua}: runs for plugins configured globally only.
     *
     * @param kong the PDK for this event
     * @param config the decoded config of the plugin instance
     * @throws Exception to fail the request (see the class documentation)
     */
    default void certificate(Kong kong, C config) throws Exception {
    }

    /**
     * {@code rewrite_by_lua}: before routing; runs for plugins configured globally only.
     *
     * @param kong the PDK for this event
     * @param config the decoded config of the plugin instance
     * @throws Exception to fail the request (see the class documentation)
     */
    default void rewrite(Kong kong, C config) throws Exception {
    }

    /**
     * {@code access_by_lua}: the usual phase to inspect the request, change what goes upstream, or end the request
     * with {@code kong.response().exit(...)}.
     *
     * @param kong the PDK for this event
     * @param config the decoded config of the plugin instance
     * @throws Exception to fail the request (see the class documentation)
     */
    default void access(Kong kong, C config) throws Exception {
    }

    /**
     * Kong's response phase, after the whole upstream response has been buffered: {@code kong.service().response()}
     * can read it, and {@code kong.response()} can change what the client gets.
     *
     * @param kong the PDK for this event
     * @param config the decoded config of the plugin instance
     * @throws Exception to fail the request (see the class documentation)
     */
    default void response(Kong kong, C config) throws Exception {
    }

    /**
     * The stream (L4) subsystem's preread phase.
     *
     * @param kong the PDK for this event
     * @param config the decoded config of the plugin instance
     * @throws Exception to fail the connection (see the class documentation)
     */
    default void preread(Kong kong, C config) throws Exception {
    }

    /**
     * The log phase: runs after the client has the response, in a Kong timer, on a snapshot of the request. Only
     * the snapshot-backed PDK calls work here (ctx, {@code kong.log().serialize()}, request and response headers,
     * response status); {@code kong.nginx().getVar()} and other request-bound calls fail.
     *
     * @param kong the PDK for this event
     * @param config the decoded config of the plugin instance
     * @throws Exception logged; the response is already sent
     */
    default void log(Kong kong, C config) throws Exception {
    }
}
