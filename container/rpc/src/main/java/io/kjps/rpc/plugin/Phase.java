package io.kjps.rpc.plugin;

import java.util.Locale;

/** The phases an external plugin can handle, in Kong's order (protocol.md §2.5). */
public enum Phase {
    /** {@code ssl_certificate_by_lua}. */
    CERTIFICATE,
    /** {@code rewrite_by_lua}. */
    REWRITE,
    /** {@code access_by_lua}. */
    ACCESS,
    /** Kong's buffered response phase. */
    RESPONSE,
    /** The stream subsystem's preread. */
    PREREAD,
    /** The log phase, in a timer after the response. */
    LOG;

    private static final Phase[] VALUES = values();
    private final String kongName = name().toLowerCase(Locale.ROOT);

    /** @return the event name Kong sends, for example {@code access} */
    public String kongName() {
        return kongName;
    }

    /**
     * @param eventName the {@code EventName} Kong sent
     * @return the phase, or {@code null} when it is not one of the six
     */
    public static Phase fromKong(String eventName) {
        for (Phase p : VALUES) {
            if (p.kongName.equals(eventName)) {
                return p;
            }
        }
        return null;
    }
}
