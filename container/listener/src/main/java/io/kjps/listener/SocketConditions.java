package io.kjps.listener;

/**
 * How the socket bundle tells the launcher and the admin shell whether it serves Kong's socket: OSGi conditions
 * (OSGi Core R8, {@code org.osgi.service.condition.Condition}, which Felix 7 exports from the system bundle), told
 * apart by their standard {@code osgi.condition.id} property. Once it listens, the socket bundle registers the
 * condition {@value #READY} with the socket's path in {@value #SOCKET}; when it cannot listen, the condition
 * {@value #FAILED} with the reason in {@value #REASON}. Both go away when the socket bundle stops.
 *
 * <p>The names are here, in plain Java shared by the launcher and the socket bundle, so that each side imports them
 * rather than spelling them; the shell's DS reference uses them as compile-time constants.
 */
public final class SocketConditions {
    /** The service interface of a condition ({@code org.osgi.service.condition.Condition}). */
    public static final String CONDITION = "org.osgi.service.condition.Condition";
    /** The standard property that names a condition ({@code Condition.CONDITION_ID}). */
    public static final String CONDITION_ID = "osgi.condition.id";
    /** The condition that holds while the socket bundle listens on Kong's socket. */
    public static final String READY = "kjps.socket.ready";
    /** The condition registered instead of {@link #READY} when the socket bundle cannot listen. */
    public static final String FAILED = "kjps.socket.failed";
    /** Property of {@link #READY}: the socket's path. */
    public static final String SOCKET = "kjps.socket";
    /** Property of {@link #FAILED}: why the socket bundle cannot listen. */
    public static final String REASON = "kjps.socket.failure";
    /** Service filter of the condition {@link #READY}. */
    public static final String READY_FILTER = "(&(objectClass=" + CONDITION + ")(" + CONDITION_ID + "=" + READY + "))";
    /** Service filter of either condition. */
    public static final String EITHER_FILTER = "(&(objectClass=" + CONDITION + ")(|(" + CONDITION_ID + "=" + READY
            + ")(" + CONDITION_ID + "=" + FAILED + ")))";

    private SocketConditions() {
    }
}
