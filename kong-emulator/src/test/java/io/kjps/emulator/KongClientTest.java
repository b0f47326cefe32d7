package io.kjps.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KongClientTest {
    @TempDir
    Path tmp;

    private Path sock() {
        return tmp.resolve("s.sock");
    }

    /** Echoes the param back as the result. */
    private static final TestServer.Handler ECHO = r -> TestServer.answer(r.msgid(), r.param());

    @Test
    void callSendsKongsRequestAndReturnsTheResultAndKeepsTheConnection() throws Exception {
        try (TestServer s = new TestServer(sock(), ECHO); KongConnectionPool pool = new KongConnectionPool(sock())) {
            KongClient c = new KongClient(pool);
            assertEquals(Map.of("a", 1L), c.call("plugin.Step", Map.of("a", 1)));
            assertEquals(7L, c.call("plugin.CloseInstance", 7));
            TestServer.Received first = s.received.get(0);
            assertEquals(List.of(0L, 1L, "plugin.Step", List.of(Map.of("a", 1L))), first.msg());
            assertEquals(2L, s.received.get(1).msgid());
            assertEquals(1, s.accepted(), "keepalive: one connection for sequential calls");
            assertEquals(1, pool.idleCount());
            assertEquals(0, pool.busyCount());
            assertEquals(2, c.lastMsgid());
        }
    }

    @Test
    void serverPidNotificationsBeforeTheResponseAndTheChangeListener() throws Exception {
        long[] pid = {111};
        List<Long> changes = new CopyOnWriteArrayList<>();
        try (TestServer s = new TestServer(sock(), ECHO, conn -> TestServer.serverPid(pid[0]));
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            KongClient c = new KongClient(pool);
            c.addServerPidListener(changes::add);
            assertEquals("x", c.call("plugin.Step", "x"));
            assertEquals(111L, c.serverPid());
            assertTrue(changes.isEmpty(), "the first pid is no change");
            s.closeConnections(); // the old server dies...
            assertEquals("y", c.call("plugin.Step", "y")); // ...a new connection, same pid
            assertEquals(2, s.accepted());
            assertTrue(changes.isEmpty(), "same pid is no change");
            pid[0] = 222;
            s.closeConnections();
            assertEquals("z", c.call("plugin.Step", "z"));
            assertEquals(List.of(222L), changes);
            assertEquals(222L, c.serverPid());
        }
    }

    @Test
    void aWrongMsgidIsAProtocolErrorAndTheConnectionIsDropped() throws Exception {
        try (TestServer s = new TestServer(sock(), r -> TestServer.answer(r.msgid() + 1, "x"));
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            KongClient c = new KongClient(pool);
            KongProtocolException e = assertThrows(KongProtocolException.class, () -> c.call("plugin.Step", 1));
            assertTrue(e.getMessage().contains("unexpected RPC response ID"), e.getMessage());
            assertEquals(0, pool.idleCount());
            assertEquals(0, pool.busyCount());
        }
    }

    @Test
    void errorStringsBecomeRpcExceptionsAndTheConnectionStaysPooled() throws Exception {
        try (TestServer s = new TestServer(sock(), r -> List.of(TestServer.response(r.msgid(),
                "No plugin instance 5", null)));
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            KongClient c = new KongClient(pool);
            KongRpcException e = assertThrows(KongRpcException.class, () -> c.call("plugin.HandleEvent", 5));
            assertEquals("No plugin instance 5", e.error());
            assertEquals("plugin.HandleEvent", e.method());
            assertTrue(e.isNoPluginInstance());
            assertEquals(1, pool.idleCount());
        }
    }

    @Test
    void malformedResponses() throws Exception {
        List<List<byte[]>> script = new CopyOnWriteArrayList<>();
        script.add(List.of(TestServer.response(1, 42, null))); // error not a string
        script.add(List.of(KongPacker.pack(List.of(0, 2, "x", List.of())))); // a request, not a response
        script.add(List.of(concat(TestServer.response(3, null, "ok"), KongPacker.pack("extra")))); // bytes after
        script.add(List.of(new byte[] {(byte) 0xc1})); // not msgpack
        script.add(null); // then the server hangs up
        try (TestServer s = new TestServer(sock(), r -> script.remove(0));
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            KongClient c = new KongClient(pool);
            assertThrows(KongProtocolException.class, () -> c.call("plugin.Step", 1));
            assertEquals(1, pool.idleCount(), "Kong pools the connection before it looks at the error");
            assertThrows(KongProtocolException.class, () -> c.call("plugin.Step", 1));
            KongProtocolException extra = assertThrows(KongProtocolException.class, () -> c.call("plugin.Step", 1));
            assertTrue(extra.getMessage().contains("after the response"), extra.getMessage());
            assertThrows(KongProtocolException.class, () -> c.call("plugin.Step", 1));
            KongIoException eof = assertThrows(KongIoException.class, () -> c.call("plugin.Step", 1));
            assertTrue(eof.getMessage().startsWith("no data"), eof.getMessage());
            assertEquals(0, pool.idleCount());
            assertEquals(0, pool.busyCount());
            assertEquals(4, s.accepted(), "every broken connection was dropped, the first one reused");
        }
    }

    @Test
    void readTimeoutIsAnIoError() throws Exception {
        try (TestServer s = new TestServer(sock(), r -> List.of());
             KongConnectionPool pool = new KongConnectionPool(sock(), 5, KongConnectionPool.Policy.LIFO,
                     Duration.ofMillis(200))) {
            KongIoException e = assertThrows(KongIoException.class, () -> new KongClient(pool).call("p", 1));
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        }
    }

    @Test
    void connectFailureIsAnIoError() {
        try (KongConnectionPool pool = new KongConnectionPool(tmp.resolve("nobody.sock"))) {
            KongIoException e = assertThrows(KongIoException.class, () -> new KongClient(pool).call("p", 1));
            assertTrue(e.getMessage().startsWith("trying to connect"), e.getMessage());
            assertEquals(0, pool.busyCount());
        }
    }

    @Test
    void lifoReusesOneConnectionRoundRobinSpreadsSequentialCalls() throws Exception {
        try (TestServer s = new TestServer(sock(), ECHO)) {
            try (KongConnectionPool lifo = new KongConnectionPool(sock())) {
                KongClient c = new KongClient(lifo);
                for (int i = 0; i < 5; i++) {
                    c.call("p", i);
                }
                assertEquals(Set.of(1), conns(s.received));
            }
            s.received.clear();
            try (KongConnectionPool rr = new KongConnectionPool(sock(), 3, KongConnectionPool.Policy.ROUND_ROBIN,
                    KongConnectionPool.DEFAULT_TIMEOUT)) {
                KongClient c = new KongClient(rr);
                for (int i = 0; i < 7; i++) {
                    c.call("p", i);
                }
                List<Integer> order = s.received.stream().map(TestServer.Received::conn).toList();
                assertEquals(List.of(2, 3, 4, 2, 3, 4, 2), order);
                assertEquals(3, rr.openedCount());
            }
            s.received.clear();
            try (KongConnectionPool rnd = new KongConnectionPool(sock(), 4, KongConnectionPool.Policy.RANDOM,
                    KongConnectionPool.DEFAULT_TIMEOUT)) {
                KongClient c = new KongClient(rnd);
                for (int i = 0; i < 40; i++) {
                    c.call("p", i);
                }
                Set<Integer> used = conns(s.received);
                assertTrue(used.size() > 1 && used.size() <= 4, "random used " + used);
                assertTrue(rnd.idleCount() <= 4);
            }
        }
    }

    @Test
    void theIdleSetIsCappedAtMaxIdleClosingTheOldest() throws Exception {
        CountDownLatch allIn = new CountDownLatch(4);
        CountDownLatch release = new CountDownLatch(1);
        try (TestServer s = new TestServer(sock(), r -> {
            allIn.countDown();
            release.await(10, TimeUnit.SECONDS);
            return TestServer.answer(r.msgid(), r.param());
        }); KongConnectionPool pool = new KongConnectionPool(sock(), 2, KongConnectionPool.Policy.LIFO,
                KongConnectionPool.DEFAULT_TIMEOUT)) {
            KongClient c = new KongClient(pool);
            ExecutorService ex = Executors.newFixedThreadPool(4);
            try {
                List<Future<Object>> fs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    int n = i;
                    fs.add(ex.submit(() -> c.call("p", n)));
                }
                assertTrue(allIn.await(10, TimeUnit.SECONDS), "4 concurrent calls need 4 connections");
                assertEquals(4, pool.busyCount());
                release.countDown();
                for (Future<Object> f : fs) {
                    f.get(10, TimeUnit.SECONDS);
                }
            } finally {
                ex.shutdownNow();
            }
            assertEquals(4, s.accepted());
            assertEquals(2, pool.idleCount());
            assertEquals(0, pool.busyCount());
        }
    }

    @Test
    void manyThreadsEachWithTheirOwnConnection() throws Exception {
        Map<Integer, Integer> inFlight = new ConcurrentHashMap<>();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        try (TestServer s = new TestServer(sock(), r -> {
            if (inFlight.merge(r.conn(), 1, Integer::sum) > 1) {
                overlaps.add("conn " + r.conn());
            }
            inFlight.merge(r.conn(), -1, Integer::sum);
            return TestServer.answer(r.msgid(), r.param());
        }); KongConnectionPool pool = new KongConnectionPool(sock())) {
            KongClient c = new KongClient(pool);
            int threads = 8;
            int calls = 50;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService ex = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int tn = t;
                    fs.add(ex.submit(() -> {
                        start.await();
                        for (int i = 0; i < calls; i++) {
                            List<Object> v = Arrays.asList(tn, i);
                            assertEquals(List.of((long) tn, (long) i), c.call("plugin.Step", v));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : fs) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                ex.shutdownNow();
            }
            assertTrue(overlaps.isEmpty(), "two outstanding calls on one connection: " + overlaps);
            assertEquals(threads * calls, s.received.size());
            assertEquals(threads * calls, new HashSet<>(s.received.stream().map(TestServer.Received::msgid)
                    .toList()).size(), "msgids are unique per client");
            assertTrue(pool.openedCount() <= threads, "opened " + pool.openedCount());
            assertEquals(0, pool.busyCount());
            assertNull(c.serverPid());
        }
    }

    @Test
    void anIdleConnectionWithUnsolicitedBytesIsNotReused() throws Exception {
        try (TestServer s = new TestServer(sock(), r -> List.of(TestServer.response(r.msgid(), null, 1))) ;
             KongConnectionPool pool = new KongConnectionPool(sock())) {
            KongClient c = new KongClient(pool);
            c.call("p", 1);
            assertEquals(1, pool.idleCount());
            s.closeConnections();
            Object r = c.call("p", 2);
            assertInstanceOf(Long.class, r);
            assertEquals(2, s.accepted(), "the closed idle connection was replaced");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Set<Integer> conns(List<TestServer.Received> rs) {
        Set<Integer> out = new HashSet<>();
        rs.forEach(r -> out.add(r.conn()));
        return out;
    }
}
