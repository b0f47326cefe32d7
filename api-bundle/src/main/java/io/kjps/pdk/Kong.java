package io.kjps.pdk;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The PDK handle passed to every phase method: Kong's {@code kong} global, one accessor per namespace.
 *
 * <p>Valid only during the phase call it was passed to; it must not be kept or used from other threads.
 */
@ProviderType
public interface Kong {

    /** @return {@code kong.client} */
    Client client();

    /** @return {@code kong.ctx} */
    Ctx ctx();

    /** @return {@code kong.ip} */
    Ip ip();

    /** @return {@code kong.log} */
    Log log();

    /** @return {@code kong.nginx} */
    Nginx nginx();

    /** @return {@code kong.node} */
    Node node();

    /** @return {@code kong.plugin} */
    Plugin plugin();

    /** @return {@code kong.request} */
    Request request();

    /** @return {@code kong.response} */
    Response response();

    /** @return {@code kong.service} */
    Service service();

    /**
     * Calls any Kong PDK function by its dotted name, for functions without a typed method (for example ones Kong
     * adds later). Arguments are Lua positional arguments: {@code String}, numbers, {@code Boolean},
     * {@code byte[]}, {@code List}, {@code Map} or {@code null} (never in the middle: Lua would truncate the list).
     *
     * @param method the PDK function, for example {@code "kong.request.get_header"}
     * @param args its arguments
     * @return the first value the Lua function returned, decoded as described in the package documentation:
     *         {@code null}, {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code byte[]},
     *         {@code List<Object>} or {@code Map<Object, Object>}
     * @throws PdkException when Kong reports an error or the event is finished
     */
    Object call(String method, Object... args);

    /** @return {@code kong.router}: the matched route and service */
    Router router();

    /** @return {@code kong.vault}: secret references */
    Vault vault();

    /** @return {@code kong.cluster}: the Kong cluster */
    Cluster cluster();
}
