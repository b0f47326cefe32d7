package io.kjps.samples.pdktour;

import io.kjps.pdk.Kong;
import io.kjps.pdk.entity.Consumer;
import io.kjps.pdk.entity.Credential;
import io.kjps.pdk.entity.FormattedMemoryStats;
import io.kjps.pdk.entity.GatewayService;
import io.kjps.pdk.entity.MemoryStats;
import io.kjps.pdk.entity.Route;
import io.kjps.pdk.entity.UriCaptures;
import io.kjps.pdk.entity.VaultReference;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Component;

/**
 * A test plugin for the end-to-end PDK test ({@code PdkSurfaceIT}): its access phase calls every typed PDK method
 * once, in a fixed order, and reports what each getter returned as a response header {@code x-tour-<name>}, so the
 * test sees both the exact calls on the wire and the Java values the plugin got. Never part of the distribution.
 */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "pdktour", version = "0.1.0", priority = 1)
public class PdkTour implements KongPhaseHandler<PdkTour.Config> {

    /** No settings. */
    public record Config() {
    }

    private static void report(Kong kong, String name, Object value) {
        kong.response().setHeader("x-tour-" + name, render(value));
    }

    /** Renders a value deterministically: maps sorted by key, bytes as text, null as {@code nil}. */
    static String render(Object v) {
        if (v == null) {
            return "nil";
        } else if (v instanceof byte[] b) {
            return "bytes:" + new String(b, StandardCharsets.ISO_8859_1);
        } else if (v instanceof Map<?, ?> m) {
            Map<String, String> sorted = new TreeMap<>();
            m.forEach((k, value) -> sorted.put(String.valueOf(k), render(value)));
            return sorted.toString();
        } else if (v instanceof List<?> l) {
            return l.stream().map(PdkTour::render).toList().toString();
        }
        return v.getClass().getSimpleName() + ":" + v;
    }

    @Override
    public void access(Kong kong, Config config) {
        // kong.client
        report(kong, "client-ip", kong.client().getIp());
        report(kong, "client-fwd-ip", kong.client().getForwardedIp());
        report(kong, "client-port", kong.client().getPort());
        report(kong, "client-fwd-port", kong.client().getForwardedPort());
        report(kong, "client-protocol", kong.client().getProtocol());
        report(kong, "client-protocol-t", kong.client().getProtocol(true));
        Credential cred = kong.client().getCredential();
        report(kong, "credential", cred.id() + "/" + cred.consumerId() + "/" + cred.raw().get("key"));
        Consumer consumer = kong.client().getConsumer();
        report(kong, "consumer", consumer.id() + "/" + consumer.username() + "/" + consumer.customId() + "/"
                + consumer.createdAt() + "/" + consumer.tags());
        report(kong, "load-consumer", kong.client().loadConsumer("nobody", true));
        kong.client().authenticate(consumer, cred);
        kong.client().tls().requestClientCertificate();
        kong.client().tls().disableSessionReuse();
        report(kong, "tls-chain", kong.client().tls().getFullClientCertificateChain());
        kong.client().tls().setClientVerify("SUCCESS");
        // kong.cluster, kong.ctx.shared, kong.ip
        report(kong, "cluster-id", kong.cluster().getId());
        kong.ctx().shared().set("tour", Map.of("n", 1));
        report(kong, "shared", kong.ctx().shared().get("tour"));
        report(kong, "trusted", kong.ip().isTrusted("10.0.0.1"));
        // kong.log
        kong.log().alert("a");
        kong.log().crit("c");
        kong.log().err("e", 1);
        kong.log().warn("w");
        kong.log().notice("n");
        kong.log().info("i");
        kong.log().debug("d");
        kong.log().inspect("x", true);
        kong.log().deprecation("old");
        kong.log().setSerializeValue("request.tour", "yes");
        kong.log().setSerializeValue("request.tour", "again", "replace");
        report(kong, "serialize", kong.log().serialize());
        // kong.nginx
        report(kong, "var", kong.nginx().getVar("request_id"));
        kong.nginx().setCtx("tour", "c");
        report(kong, "ngx-ctx", kong.nginx().getCtx("tour"));
        report(kong, "tls1", kong.nginx().getTls1VersionStr());
        report(kong, "subsystem", kong.nginx().getSubsystem());
        report(kong, "statistics", kong.nginx().getStatistics());
        report(kong, "req-start", kong.nginx().reqStartTime());
        // kong.node, kong.plugin
        report(kong, "node-id", kong.node().getId());
        report(kong, "hostname", kong.node().getHostname());
        MemoryStats mem = kong.node().getMemoryStats();
        report(kong, "memory", mem.luaSharedDicts() + " " + mem.workersLuaVms());
        FormattedMemoryStats mib = kong.node().getMemoryStats("m", 1);
        report(kong, "memory-mib", mib.luaSharedDicts() + " " + mib.workersLuaVms());
        report(kong, "plugin-id", kong.plugin().getId());
        // kong.request
        report(kong, "scheme", kong.request().getScheme());
        report(kong, "host", kong.request().getHost());
        report(kong, "port", kong.request().getPort());
        report(kong, "fwd-scheme", kong.request().getForwardedScheme());
        report(kong, "fwd-host", kong.request().getForwardedHost());
        report(kong, "fwd-port", kong.request().getForwardedPort());
        report(kong, "fwd-path", kong.request().getForwardedPath());
        report(kong, "fwd-prefix", kong.request().getForwardedPrefix());
        report(kong, "http-version", kong.request().getHttpVersion());
        report(kong, "method", kong.request().getMethod());
        report(kong, "path", kong.request().getPath());
        report(kong, "raw-path", kong.request().getRawPath());
        report(kong, "path-query", kong.request().getPathWithQuery());
        report(kong, "raw-query", kong.request().getRawQuery());
        report(kong, "query-arg", kong.request().getQueryArg("a"));
        report(kong, "query", kong.request().getQuery());
        report(kong, "query-max", kong.request().getQuery(2));
        report(kong, "header", kong.request().getHeader("x-h"));
        report(kong, "headers", kong.request().getHeaders());
        report(kong, "headers-max", kong.request().getHeaders(3));
        report(kong, "raw-body", kong.request().getRawBody());
        report(kong, "raw-body-max", kong.request().getRawBody(1024));
        report(kong, "body", kong.request().getBody());
        report(kong, "body-mime", kong.request().getBody("application/json"));
        report(kong, "start-time", kong.request().getStartTime());
        UriCaptures captures = kong.request().getUriCaptures();
        report(kong, "captures", captures.unnamed() + " " + captures.named());
        // kong.response
        report(kong, "status", kong.response().getStatus());
        report(kong, "resp-header", kong.response().getHeader("x-r"));
        report(kong, "resp-headers", kong.response().getHeaders());
        report(kong, "source", kong.response().getSource());
        kong.response().setStatus(201);
        kong.response().addHeader("x-add", "1");
        kong.response().clearHeader("x-gone");
        kong.response().setHeaders(Map.of("x-multi", List.of("1", "2")));
        // kong.router
        Route route = kong.router().getRoute();
        report(kong, "route", route.id() + "/" + route.name() + "/" + route.protocols() + "/" + route.paths() + "/"
                + route.stripPath() + "/" + route.serviceId());
        GatewayService service = kong.router().getService();
        report(kong, "service", service.id() + "/" + service.host() + "/" + service.port() + "/"
                + service.readTimeout());
        // kong.service
        kong.service().setUpstream("up");
        kong.service().setTarget("10.0.0.2", 8080);
        kong.service().setRetries(3);
        kong.service().setTimeouts(1000, 2000, 3000);
        kong.service().setTlsVerify(true);
        kong.service().setTlsVerifyDepth(2);
        // kong.service.request
        kong.service().request().enableBuffering();
        kong.service().request().setScheme("https");
        kong.service().request().setPath("/up");
        kong.service().request().setRawQuery("q=1");
        kong.service().request().setMethod("POST");
        kong.service().request().setQuery(Map.of("q", "2"));
        kong.service().request().clearQueryArg("q");
        kong.service().request().setHeader("x-s", "1");
        kong.service().request().addHeader("x-s", "2");
        kong.service().request().clearHeader("x-s");
        kong.service().request().setHeaders(Map.of("x-t", "3"));
        kong.service().request().setRawBody(new byte[] {'r', 'a', 'w'});
        kong.service().request().setBody(Map.of("k", "v"), "application/json");
        kong.service().request().disableTls();
        kong.service().request().enableTls();
        // kong.service.response
        report(kong, "svc-status", kong.service().response().getStatus());
        report(kong, "svc-header", kong.service().response().getHeader("x-u"));
        report(kong, "svc-headers", kong.service().response().getHeaders());
        report(kong, "svc-headers-max", kong.service().response().getHeaders(4));
        report(kong, "svc-raw-body", kong.service().response().getRawBody());
        report(kong, "svc-body", kong.service().response().getBody());
        report(kong, "svc-body-mime", kong.service().response().getBody("application/json"));
        // kong.vault
        report(kong, "vault-get", kong.vault().get("{vault://env/pw}"));
        report(kong, "vault-is-ref", kong.vault().isReference("{vault://env/pw}"));
        VaultReference ref = kong.vault().parseReference("{vault://env/pw}");
        report(kong, "vault-parse", ref);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("password", "old");
        options.put("$refs", Map.of("password", "{vault://env/pw}"));
        report(kong, "vault-update", kong.vault().update(options));
        kong.vault().flush();
    }
}
