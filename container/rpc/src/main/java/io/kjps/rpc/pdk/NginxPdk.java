package io.kjps.rpc.pdk;

import io.kjps.pdk.Nginx;
import java.util.Map;

/** {@code kong.nginx} over a {@link PdkCaller}. */
final class NginxPdk implements Nginx {
    private final PdkCaller k;

    NginxPdk(PdkCaller caller) {
        this.k = caller;
    }

    @Override
    public String getVar(String name) {
        String m = "kong.nginx.get_var";
        return PdkResults.string(m, k.call(m, name));
    }

    @Override
    public Object getCtx(String key) {
        return k.call("kong.nginx.get_ctx", key);
    }

    @Override
    public void setCtx(String key, Object value) {
        k.call("kong.nginx.set_ctx", key, value);
    }

    @Override
    public String getSubsystem() {
        String m = "kong.nginx.get_subsystem";
        return PdkResults.string(m, k.call(m));
    }

    @Override
    public String getTls1VersionStr() {
        String m = "kong.nginx.get_tls1_version_str";
        return PdkResults.string(m, k.call(m));
    }

    @Override
    public double reqStartTime() {
        String m = "kong.nginx.req_start_time";
        return PdkResults.doubleValue(m, k.call(m));
    }

    @Override
    public Map<String, Long> getStatistics() {
        String m = "kong.nginx.get_statistics";
        return Entities.longs(m, k.call(m));
    }
}
