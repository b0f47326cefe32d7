package io.kjps.samples.pdkcheck;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import io.kjps.plugin.config.Default;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code pdkcheck} plugin of the recorded conversations: probes a spread of PDK functions in a fixed order and
 * reports each result in a response header {@code x-pdk-<name>}, rendered exactly as the recorded JavaScript plugin
 * renders it (see {@link JsRendering}), so the recordings replay against it call for call.
 *
 * <p>Some probes go through {@link Kong#call} rather than the typed PDK, because the recording reports Kong's raw
 * values (a query flag inside a list stays {@code true}, a JSON body keeps its numbers).
 */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "pdkcheck", version = "0.1.0", priority = 500)
public class PdkCheck implements KongPhaseHandler<PdkCheck.Config> {
    private static final Pattern UUID = Pattern.compile("^[0-9a-f-]{36}$");

    /**
     * The plugin's config.
     *
     * @param tag put into the ctx.shared value {@code v-<tag>}
     * @param list unused, proves array defaults
     * @param nested unused, proves nested record defaults
     */
    public record Config(@Default("dflt") String tag, @Default("[]") List<String> list, Nested nested) {
    }

    /**
     * A nested config record.
     *
     * @param n unused
     */
    public record Nested(@Default("7") long n) {
    }

    @Override
    public void access(Kong kong, Config config) {
        if ("bad-arg".equals(kong.request().getHeader("x-provoke"))) {
            // a header name Kong's Lua rejects: Kong raises, answers the client 500 and abandons this event
            kong.call("kong.response.set_header", 42, "x");
        }
        Map<String, String> r = new LinkedHashMap<>();
        probe(r, "method", () -> kong.request().getMethod());
        probe(r, "path", () -> kong.request().getPath());
        probe(r, "query-a", () -> kong.request().getQueryArg("a"));
        probe(r, "query", () -> kong.call("kong.request.get_query"));
        probe(r, "raw-query", () -> kong.request().getRawQuery());
        probe(r, "headers-multi", () -> {
            Object headers = kong.call("kong.request.get_headers");
            return headers instanceof Map<?, ?> m ? m.get("x-multi") : null;
        });
        probe(r, "ip", () -> kong.client().getIp());
        probe(r, "node-id-len", () -> (long) kong.node().getId().length());
        probe(r, "var-uri", () -> kong.nginx().getVar("uri"));
        probe(r, "plugin-id-ok", () -> {
            String id = kong.plugin().getId(); // null before Kong 3.3
            return id != null && UUID.matcher(id).matches();
        });
        probe(r, "shared-set", () -> kong.call("kong.ctx.shared.set", "k", "v-" + config.tag()));
        probe(r, "svc-set-header", () -> kong.call("kong.service.request.set_header", "x-added-by-plugin", "yes"));
        probe(r, "svc-set-path", () -> kong.call("kong.service.request.set_path", "/rewritten"));
        probe(r, "log", () -> kong.call("kong.log.notice", "pdkcheck access notice"));
        probe(r, "unknown-method", () -> kong.call("kong.request.no_such_method"));
        probe(r, "body-err", () -> kong.call("kong.request.get_body"));
        for (Map.Entry<String, String> e : r.entrySet()) {
            kong.response().setHeader("x-pdk-" + e.getKey(), e.getValue());
        }
        kong.response().addHeader("x-pdk-multi-add", "one");
        kong.response().addHeader("x-pdk-multi-add", "two");
    }

    @Override
    public void response(Kong kong, Config config) {
        Map<String, String> r = new LinkedHashMap<>();
        probe(r, "resp-status", () -> kong.response().getStatus());
        probe(r, "svc-resp-status", () -> kong.service().response().getStatus());
        probe(r, "svc-resp-header", () -> kong.service().response().getHeader("x-echo-upstream"));
        probe(r, "shared-get", () -> kong.ctx().shared().get("k"));
        for (Map.Entry<String, String> e : r.entrySet()) {
            kong.response().setHeader("x-pdk-" + e.getKey(), e.getValue());
        }
    }

    @Override
    public void log(Kong kong, Config config) {
        Object shared = kong.ctx().shared().get("k");
        String serialized = kong.log().serialize();
        JsonObject s = serialized == null ? new JsonObject() : JsonParser.parseString(serialized).getAsJsonObject();
        kong.log().notice("pdkcheck log phase: shared=" + JsRendering.concat(shared)
                + " status=" + member(s, "response", "status")
                + " uri=" + member(s, "request", "uri")
                + " x-name=" + header(s, "x-name"));
    }

    private static String member(JsonObject s, String object, String key) {
        JsonElement o = s.get(object);
        if (o == null || !o.isJsonObject() || !o.getAsJsonObject().has(key)) {
            return "undefined";
        }
        return JsRendering.concat(JsRendering.fromJson(o.getAsJsonObject().get(key)));
    }

    private static String header(JsonObject s, String name) {
        JsonElement request = s.get("request");
        if (request == null || !request.isJsonObject()) {
            return "undefined";
        }
        JsonElement headers = request.getAsJsonObject().get("headers");
        if (headers == null || !headers.isJsonObject() || !headers.getAsJsonObject().has(name)) {
            return "undefined";
        }
        return JsRendering.concat(JsRendering.fromJson(headers.getAsJsonObject().get(name)));
    }

    private static void probe(Map<String, String> out, String key, Callable<Object> fn) {
        try {
            out.put(key, JsRendering.probe(fn.call()));
        } catch (Exception e) {
            out.put(key, "ERR:" + e.getMessage());
        }
    }
}
