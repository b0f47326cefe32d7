package io.kjps.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.socket.internal.transport.UnixConnection;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The issue-6 keys of {@link SocketSettings} and the {@link PeerPolicy} they configure. */
class SecuritySettingsTest {

    private static SocketSettings settings(Map<String, String> props) {
        Map<String, String> all = new java.util.HashMap<>(props);
        all.put("kjps.socket", "/tmp/x.socket");
        return SocketSettings.from(all::get);
    }

    @Test
    void defaultsAreNoGroupNoAllowListAndFailClosed() {
        SocketSettings s = settings(Map.of());
        assertEquals("rw-rw----", s.listening().mode());
        assertNull(s.listening().group());
        assertEquals(Set.of(), s.allowedUids());
        assertTrue(s.dispatcher().failClosedFor("any"));
    }

    @Test
    void groupAndAllowListAreRead() {
        SocketSettings s = settings(Map.of("kjps.socket.group", " kong ", "kjps.socket.allowed.uids", "1000, 0,,65534"));
        assertEquals("kong", s.listening().group());
        assertEquals(Set.of(0L, 1000L, 65534L), s.allowedUids());
    }

    @Test
    void malformedAllowListIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings(Map.of("kjps.socket.allowed.uids", "1000,kong")));
        assertEquals("framework property kjps.socket.allowed.uids must list user ids separated by commas, got"
                + " 1000,kong", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> settings(Map.of("kjps.socket.allowed.uids", "-1")));
    }

    @Test
    void failurePolicyPerPlugin() {
        SocketSettings s = settings(Map.of("kjps.fail.open.lenient", "true", "kjps.fail.open.strict", "false"));
        assertFalse(s.dispatcher().failClosedFor("lenient"));
        assertTrue(s.dispatcher().failClosedFor("strict"));
        assertTrue(s.dispatcher().failClosedFor("other"));
        SocketSettings open = settings(Map.of("kjps.fail.open", "true", "kjps.fail.open.strict", "false"));
        assertFalse(open.dispatcher().failClosedFor("other"));
        assertTrue(open.dispatcher().failClosedFor("strict"));
    }

    private static UnixConnection peer(long uid) {
        return new UnixConnection() {
            @Override
            public java.nio.channels.SocketChannel channel() {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean peerIs(long wanted) {
                return uid >= 0 && uid == wanted;
            }

            @Override
            public String peerUser() {
                return uid < 0 ? null : Long.toString(uid);
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void peerPolicyAdmitsOnlyListedUids() {
        PeerPolicy any = new PeerPolicy(Set.of());
        assertTrue(any.admit(peer(1234), 1));
        assertTrue(any.admit(peer(-1), 2));
        PeerPolicy listed = new PeerPolicy(Set.of(0L, 1000L));
        assertTrue(listed.admit(peer(1000), 3));
        assertTrue(listed.admit(peer(0), 4));
        assertFalse(listed.admit(peer(1001), 5));
        assertFalse(listed.admit(peer(-1), 6), "unknown credentials are refused when there is a list");
    }
}
