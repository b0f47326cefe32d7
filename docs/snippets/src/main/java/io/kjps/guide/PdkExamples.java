package io.kjps.guide;

import io.kjps.pdk.Kong;
import io.kjps.pdk.entity.Consumer;
import io.kjps.pdk.entity.Route;
import java.util.List;
import java.util.Map;

/**
 * The guide's PDK tour: one example per namespace, each a method a phase would call. {@code PdkExamplesTest} runs
 * them through the test kit.
 */
public final class PdkExamples {
    private PdkExamples() {
    }

    static void request(Kong kong) {
        // snippet:pdk-request
        String host = kong.request().getHost();
        Map<String, List<String>> query = kong.request().getQuery();   // every value of every argument
        byte[] body = kong.request().getRawBody();                     // null when the body was not buffered
        // end:pdk-request
        kong.response().setHeader("x-seen", host + " " + query.keySet() + " " + (body == null ? 0 : body.length));
    }

    static void response(Kong kong) {
        // snippet:pdk-response
        kong.response().setHeader("cache-control", "no-store");    // rewrite, access, response
        int status = kong.response().getStatus();                     // response and log
        // end:pdk-response
        kong.response().addHeader("x-status", Long.toString(status));
    }

    static void serviceRequest(Kong kong) {
        // snippet:pdk-service-request
        kong.service().request().setPath("/v2/orders");                // rewrite and access only
        kong.service().request().setHeader("x-tenant", "acme");
        // end:pdk-service-request
    }

    static void serviceResponse(Kong kong) {
        // snippet:pdk-service-response
        String type = kong.service().response().getHeader("content-type");     // response phase
        byte[] upstreamBody = kong.service().response().getRawBody();
        // end:pdk-service-response
        kong.response().setHeader("x-upstream", type + " " + upstreamBody.length);
    }

    static void client(Kong kong) {
        // snippet:pdk-client
        String ip = kong.client().getForwardedIp();
        Consumer consumer = kong.client().getConsumer();               // null before an auth plugin ran
        // end:pdk-client
        kong.response().setHeader("x-client", ip + " " + (consumer == null ? "-" : consumer.username()));
    }

    static void ctx(Kong kong) {
        // snippet:pdk-ctx
        kong.ctx().shared().set("tenant", "acme");                     // seen by later plugins and phases
        String tenant = kong.ctx().shared().getString("tenant");
        // end:pdk-ctx
        kong.response().setHeader("x-tenant", tenant);
    }

    static void log(Kong kong) {
        // snippet:pdk-log
        kong.log().err("cannot reach the tenant service: ", "timeout");
        // end:pdk-log
    }

    static void nginx(Kong kong) {
        // snippet:pdk-nginx
        String requestId = kong.nginx().getVar("request_id");         // not in log
        Object accessStart = kong.nginx().getCtx("KONG_ACCESS_START");
        // end:pdk-nginx
        kong.response().setHeader("x-request", requestId + " " + accessStart);
    }

    static void node(Kong kong) {
        // snippet:pdk-node
        String node = kong.node().getHostname();
        // end:pdk-node
        kong.response().setHeader("x-node", node);
    }

    static void ip(Kong kong) {
        // snippet:pdk-ip
        boolean trusted = kong.ip().isTrusted(kong.client().getIp());  // trusted_ips of kong.conf
        // end:pdk-ip
        kong.response().setHeader("x-trusted", Boolean.toString(trusted));
    }

    static void plugin(Kong kong) {
        // snippet:pdk-plugin
        String pluginId = kong.plugin().getId();                       // null before Kong 3.3
        // end:pdk-plugin
        kong.response().setHeader("x-plugin", String.valueOf(pluginId));
    }

    static void router(Kong kong) {
        // snippet:pdk-router
        Route route = kong.router().getRoute();                        // null when no route matched
        // end:pdk-router
        kong.response().setHeader("x-route", route == null ? "-" : route.name());
    }

    static void service(Kong kong) {
        // snippet:pdk-service
        kong.service().setTimeouts(2000, 2000, 5000);                  // connect, write, read in ms
        kong.service().setRetries(1);
        // end:pdk-service
    }

    static void vault(Kong kong) {
        // snippet:pdk-vault
        String secret = kong.vault().isReference("{vault://env/api-token}")
                ? kong.vault().get("{vault://env/api-token}") : null;
        // end:pdk-vault
        kong.response().setHeader("x-secret-length", String.valueOf(secret == null ? 0 : secret.length()));
    }

    static void cluster(Kong kong) {
        // snippet:pdk-cluster
        String clusterId = kong.cluster().getId();
        // end:pdk-cluster
        kong.response().setHeader("x-cluster", String.valueOf(clusterId));
    }

    static void call(Kong kong) {
        // snippet:pdk-call
        Object version = kong.call("kong.request.get_http_version");    // any PDK function by its Lua name
        // end:pdk-call
        kong.response().setHeader("x-http", String.valueOf(version));
    }
}
