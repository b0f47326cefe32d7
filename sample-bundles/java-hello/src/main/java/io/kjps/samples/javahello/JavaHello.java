package io.kjps.samples.javahello;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import java.math.BigDecimal;
import org.osgi.service.component.annotations.Component;

/**
 * The Java counterpart of Kong's own external-plugin test fixture (go-hello / py-hello, protocol.md §7): the same headers
 * and log lines, so Kong's plugin-server tests can run against it.
 */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "java-hello", version = "0.1.0", priority = 1)
public class JavaHello implements KongPhaseHandler<JavaHello.Config> {

    /**
     * The plugin's config.
     *
     * @param message the text the plugin says
     */
    public record Config(String message) {
    }

    @Override
    public void access(Kong kong, Config config) {
        String host = kong.request().getHeader("host");
        kong.response().setHeader("x-hello-from-java", "Java says " + config.message() + " to " + host);
        kong.ctx().shared().set("shared_msg", config.message());
    }

    @Override
    public void response(Kong kong, Config config) {
        kong.response().setHeader("x-hello-from-java-at-response",
                "got from server '" + kong.service().response().getHeader("Server") + "'");
    }

    @Override
    public void log(Kong kong, Config config) {
        kong.log().info("access_start: " + plain(kong.nginx().getCtx("KONG_ACCESS_START")));
        kong.log().info("shared_msg: " + kong.ctx().shared().get("shared_msg"));
        kong.log().info("request_header: " + kong.request().getHeader("X-Loose-Data"));
        kong.log().info("response_header: " + kong.response().getHeader("X-Powered-By"));
        kong.log().info("serialized:" + kong.log().serialize());
    }

    /** Numbers as Lua prints them: no exponent, no trailing ".0". */
    private static String plain(Object value) {
        if (value instanceof Double d && !d.isNaN() && !d.isInfinite()) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }
}
