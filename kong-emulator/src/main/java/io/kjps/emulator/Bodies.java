package io.kjps.emulator;

import io.kjps.emulator.internal.LuaJson;
import io.kjps.emulator.internal.LuaValues;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Kong's {@code get_body(mimetype)} for the request and for the upstream's response. */
final class Bodies {

    private Bodies() {
    }

    /**
     * @param b the body, or null for none
     * @param mimeArg the {@code mimetype} argument, or null
     * @param contentType the body's Content-Type header, or null
     * @return the parsed body (JSON or a form), or Kong's error for a missing or unsupported type or a bad body
     */
    static PdkResult parse(byte[] b, Object mimeArg, Object contentType) {
        String ct = mimeArg instanceof String s ? s
                : contentType == null ? null : LuaValues.tostring(contentType).toLowerCase(Locale.ROOT);
        if (ct == null) {
            return PdkResult.error("missing content type");
        }
        String text = b == null ? "" : new String(b, StandardCharsets.UTF_8);
        if (ct.startsWith("application/json") || ct.contains("+json")) {
            try {
                Object v = LuaJson.parse(text);
                if (v instanceof Map || v instanceof List) {
                    return PdkResult.of(v);
                }
            } catch (IllegalArgumentException e) {
                // falls through
            }
            return PdkResult.error("invalid json body");
        }
        if (ct.startsWith("application/x-www-form-urlencoded")) {
            return PdkResult.of(UriArgs.parse(text));
        }
        return PdkResult.error("unsupported content type '" + ct + "'");
    }
}
