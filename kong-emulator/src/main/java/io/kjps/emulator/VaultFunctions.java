package io.kjps.emulator;

import static io.kjps.emulator.LuaArgs.arg;

import io.kjps.emulator.internal.LuaValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code kong.vault.*}: the secrets given with {@link FakeRequest.Builder#vaultSecret}. */
final class VaultFunctions implements PdkNamespace {

    @Override
    public PdkResult call(FakeState s, String phase, String m, List<Object> a) {
        switch (m) {
            case "kong.vault.is_reference":
                return PdkResult.of(isReference(arg(a, 0)));
            case "kong.vault.get": {
                Object ref = arg(a, 0);
                if (!isReference(ref)) {
                    return PdkResult.error("not a reference [" + LuaValues.tostring(ref) + "]");
                }
                String secret = s.vaultSecrets.get(LuaValues.tostring(ref));
                return secret != null ? PdkResult.of(secret)
                        : PdkResult.error("no secret for " + LuaValues.tostring(ref) + " in this vault");
            }
            case "kong.vault.update":
                return PdkResult.of(update(s, arg(a, 0)));
            case "kong.vault.flush":
                return PdkResult.nil();
            default:
                return s.unknown(m);
        }
    }

    /** Kong's {@code is_reference}: a string of the form {@code {vault://...}}. */
    private static boolean isReference(Object v) {
        if (!LuaValues.isString(v)) {
            return false;
        }
        String text = LuaValues.tostring(v);
        return text.startsWith("{vault://") && text.endsWith("}");
    }

    /**
     * Kong's {@code update(options)}: every field named in {@code options["$refs"]} gets the secret of its
     * reference when the vault knows it, in nested tables too; anything but a table comes back as it is.
     */
    private static Object update(FakeState s, Object options) {
        if (options instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(x instanceof Map || x instanceof List ? update(s, x) : x));
            return out;
        }
        if (!(options instanceof Map<?, ?> m)) {
            return options;
        }
        Map<Object, Object> out = new LinkedHashMap<>(m);
        for (Map.Entry<Object, Object> e : out.entrySet()) {
            if (!"$refs".equals(e.getKey()) && (e.getValue() instanceof Map || e.getValue() instanceof List)) {
                e.setValue(update(s, e.getValue()));
            }
        }
        if (out.get("$refs") instanceof Map<?, ?> refs) {
            for (Map.Entry<?, ?> r : refs.entrySet()) {
                String secret = LuaValues.isString(r.getValue())
                        ? s.vaultSecrets.get(LuaValues.tostring(r.getValue())) : null;
                if (secret != null) {
                    out.put(r.getKey(), secret);
                }
            }
        }
        return out;
    }
}
