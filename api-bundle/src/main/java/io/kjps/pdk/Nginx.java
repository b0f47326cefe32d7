package io.kjps.pdk;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.nginx}: nginx variables and the request's {@code ngx.ctx}. */
@ProviderType
public interface Nginx {

    /**
     * {@code kong.nginx.get_var(name)}; not in the log phase.
     *
     * @param name the nginx variable name without {@code $}
     * @return its value, or {@code null}
     */
    String getVar(String name);

    /**
     * {@code kong.nginx.get_ctx(key)}: a value of {@code ngx.ctx} (a snapshot in the log phase).
     *
     * @param key the key, for example {@code KONG_ACCESS_START}
     * @return the value, or {@code null}
     */
    Object getCtx(String key);

    /**
     * {@code kong.nginx.set_ctx(key, value)}.
     *
     * @param key the key
     * @param value the value
     */
    void setCtx(String key, Object value);

    /** @return {@code kong.nginx.get_subsystem()}: {@code http} or {@code stream} */
    String getSubsystem();

    /** @return {@code kong.nginx.get_tls1_version_str()}, or {@code null} without TLS */
    String getTls1VersionStr();

    /** @return {@code kong.nginx.req_start_time()}: seconds since the epoch */
    double reqStartTime();

    /**
     * {@code kong.nginx.get_statistics()}: nginx connection counters ({@code connections_active},
     * {@code connections_reading}, {@code connections_writing}, {@code connections_waiting},
     * {@code connections_accepted}, {@code connections_handled}, {@code total_requests}). Every phase. Kong 3.0 and
     * later; older lines answer nothing, which reads as an empty map.
     *
     * @return counter name to value
     */
    Map<String, Long> getStatistics();
}
