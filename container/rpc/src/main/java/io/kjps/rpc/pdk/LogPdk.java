package io.kjps.rpc.pdk;

import io.kjps.pdk.Log;
import java.util.Map;

/** {@code kong.log} over a {@link PdkCaller}. */
final class LogPdk implements Log {
    private final PdkCaller k;

    LogPdk(PdkCaller caller) {
        this.k = caller;
    }

    @Override
    public void alert(Object... args) {
        k.call("kong.log.alert", args);
    }

    @Override
    public void crit(Object... args) {
        k.call("kong.log.crit", args);
    }

    @Override
    public void err(Object... args) {
        k.call("kong.log.err", args);
    }

    @Override
    public void warn(Object... args) {
        k.call("kong.log.warn", args);
    }

    @Override
    public void notice(Object... args) {
        k.call("kong.log.notice", args);
    }

    @Override
    public void info(Object... args) {
        k.call("kong.log.info", args);
    }

    @Override
    public void debug(Object... args) {
        k.call("kong.log.debug", args);
    }

    @Override
    public String serialize() {
        String m = "kong.log.serialize";
        return PdkResults.string(m, k.call(m));
    }

    @Override
    public void setSerializeValue(String key, Object value) {
        k.call("kong.log.set_serialize_value", key, value);
    }

    @Override
    public void inspect(Object... args) {
        k.call("kong.log.inspect", args);
    }

    @Override
    public void deprecation(Object... args) {
        k.call("kong.log.deprecation", args);
    }

    @Override
    public void setSerializeValue(String key, Object value, String mode) {
        if (mode == null) {
            setSerializeValue(key, value);
        } else {
            k.call("kong.log.set_serialize_value", key, value, Map.of("mode", mode));
        }
    }
}
