package io.kjps.socket.internal;

import io.kjps.socket.internal.transport.UnixConnection;
import java.util.Set;

/**
 * Who may talk to the server once the socket file's mode let them connect: with an allow-list of peer user ids
 * ({@code kjps.socket.allowed.uids}), a peer whose credentials (SO_PEERCRED) are not on the
 * list, or cannot be read, is refused; without a list every peer is admitted.
 */
final class PeerPolicy {
    private static final System.Logger LOG = System.getLogger(PeerPolicy.class.getName());

    private final Set<Long> allowedUids;

    /** @param allowedUids the allowed user ids; empty admits everyone */
    PeerPolicy(Set<Long> allowedUids) {
        this.allowedUids = Set.copyOf(allowedUids);
    }

    /**
     * @param c an accepted connection
     * @param n its number, for the log
     * @return whether to serve it; when not, a line saying why is logged and the caller closes it at once
     */
    boolean admit(UnixConnection c, long n) {
        if (allowedUids.isEmpty()) {
            return true;
        }
        for (long uid : allowedUids) {
            if (c.peerIs(uid)) {
                return true;
            }
        }
        String user = c.peerUser();
        LOG.log(System.Logger.Level.WARNING, "refused connection " + n + " from "
                + (user == null ? "a peer whose user id cannot be read" : "user " + user)
                + ": not in kjps.socket.allowed.uids " + allowedUids);
        return false;
    }
}
