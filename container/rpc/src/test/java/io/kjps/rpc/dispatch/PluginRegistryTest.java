package io.kjps.rpc.dispatch;

import static io.kjps.rpc.dispatch.TestPlugins.plugin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.plugin.KongPhaseHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PluginRegistryTest {
    private static final KongPhaseHandler<Object> NOOP = new KongPhaseHandler<>() {
    };

    private static ServedPlugin revision(String name) {
        return plugin(name, NOOP, null, "access");
    }

    @Test
    void aSecondOwnerIsRefused() {
        PluginRegistry r = new PluginRegistry();
        ServedPlugin first = revision("hello");
        assertNull(r.register(first, "bundle 1"));
        ServedPlugin intruder = revision("hello");
        assertEquals("plugin name hello is already served by test hello", r.register(intruder, "bundle 2"));
        assertSame(first, r.get("hello"));
        assertFalse(r.unregister(intruder), "a refused revision was never served");
        assertSame(first, r.get("hello"));
    }

    @Test
    void theSameOwnerReplacesItsRevision() {
        PluginRegistry r = new PluginRegistry();
        ServedPlugin v1 = revision("hello");
        ServedPlugin v2 = revision("hello");
        assertNull(r.register(v1, "bundle 1"));
        assertNull(r.register(v2, "bundle 1"));
        assertSame(v2, r.get("hello"));
        assertTrue(v2.generation() > v1.generation());
        assertFalse(r.unregister(v1), "the replaced revision no longer owns the name");
        assertSame(v2, r.get("hello"));
        assertTrue(r.unregister(v2));
        assertNull(r.get("hello"));
        assertNull(r.register(revision("hello"), "bundle 2"), "a free name can be taken by anyone");
    }

    @Test
    void listenersLearnOfEveryRetiredRevisionButNotOfRefusedOnes() {
        PluginRegistry r = new PluginRegistry();
        List<ServedPlugin> retired = new java.util.concurrent.CopyOnWriteArrayList<>();
        r.onRetired(retired::add);
        ServedPlugin v1 = revision("hello");
        ServedPlugin v2 = revision("hello");
        assertNull(r.register(v1, "bundle 1"));
        assertNull(r.register(v1, "bundle 1"));
        assertEquals(List.of(), retired, "registering the served revision again retires nothing");
        assertNull(r.register(v2, "bundle 1"));
        assertEquals(List.of(v1), retired, "replaced by the same owner");
        assertEquals("plugin name hello is already served by test hello", r.register(revision("hello"), "bundle 2"));
        assertFalse(r.unregister(v1));
        assertEquals(List.of(v1), retired, "neither a refused nor an already retired revision is reported");
        assertTrue(r.unregister(v2));
        assertEquals(List.of(v1, v2), retired);
    }

    @Test
    void ownersAreComparedByEquals() {
        PluginRegistry r = new PluginRegistry();
        assertNull(r.register(revision("hello"), new String("bundle 1")));
        assertNull(r.register(revision("hello"), new String("bundle 1")));
    }

    @Test
    void allIsSortedByName() {
        PluginRegistry r = new PluginRegistry();
        r.register(revision("zeta"), 1);
        r.register(revision("alpha"), 2);
        r.register(revision("mid"), 3);
        assertEquals(List.of("alpha", "mid", "zeta"), r.all().stream().map(ServedPlugin::name).toList());
    }

    @Test
    void awaitReturnsAtOnceWhenServedOrWithoutTimeout() throws Exception {
        PluginRegistry r = new PluginRegistry();
        ServedPlugin p = revision("hello");
        r.register(p, 1);
        assertSame(p, r.await("hello", 0));
        assertSame(p, r.await("hello", 10_000));
        assertNull(r.await("other", 0));
        assertNull(r.await("other", -5));
    }

    @Test
    void awaitTimesOut() throws Exception {
        PluginRegistry r = new PluginRegistry();
        long t0 = System.nanoTime();
        assertNull(r.await("hello", 50));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) >= 50);
    }

    @Test
    void awaitWakesUpOnRegistration() throws Exception {
        PluginRegistry r = new PluginRegistry();
        CompletableFuture<ServedPlugin> got = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                got.complete(r.await("hello", 20_000));
            } catch (Throwable t) {
                got.completeExceptionally(t);
            }
        });
        waiter.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (waiter.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.TIMED_WAITING, waiter.getState());
        r.register(revision("other"), 1);
        assertFalse(got.isDone(), "another name does not end the wait");
        ServedPlugin p = revision("hello");
        r.register(p, 1);
        assertSame(p, got.get(20, TimeUnit.SECONDS));
    }

    @Test
    void awaitAnswersAtOnceForANameNobodyIsAboutToServe() throws Exception {
        PluginRegistry r = new PluginRegistry();
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        r.expectWith(name -> {
            asked.add(name);
            return false;
        });
        long t0 = System.nanoTime();
        assertNull(r.await("nope", 60_000));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "returned long before its timeout");
        assertEquals(List.of("nope"), asked);
    }

    @Test
    void awaitWaitsWhileExpectedAndStopsWhenTheExpectationEnds() throws Exception {
        PluginRegistry r = new PluginRegistry();
        java.util.concurrent.atomic.AtomicBoolean updating = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.CountDownLatch askedTwice = new java.util.concurrent.CountDownLatch(2);
        r.expectWith(name -> {
            askedTwice.countDown();
            return updating.get();
        });
        CompletableFuture<ServedPlugin> first = CompletableFuture.supplyAsync(() -> awaitQuietly(r, "hello"));
        assertTrue(askedTwice.await(20, TimeUnit.SECONDS), "the expectation is asked again while waiting");
        ServedPlugin p = revision("hello");
        r.register(p, 1);
        assertSame(p, first.get(20, TimeUnit.SECONDS), "a wait for an expected plugin ends when it is served");

        CompletableFuture<ServedPlugin> second = CompletableFuture.supplyAsync(() -> awaitQuietly(r, "other"));
        assertFalse(second.isDone());
        updating.set(false);
        assertNull(second.get(20, TimeUnit.SECONDS), "the wait ends, unserved, once nobody is about to serve it");
    }

    private static ServedPlugin awaitQuietly(PluginRegistry r, String name) {
        try {
            return r.await(name, 60_000);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void awaitIsInterruptible() throws Exception {
        PluginRegistry r = new PluginRegistry();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> r.await("hello", 10_000));
        assertFalse(Thread.interrupted());
    }

    @Test
    void servedPluginAccessors() {
        ServedPlugin p = plugin("hello", NOOP, null, "access", "log");
        assertEquals("hello", p.name());
        assertEquals("test hello", p.origin());
        assertSame(NOOP, p.handler());
        assertTrue(p.handles(io.kjps.rpc.plugin.Phase.ACCESS));
        assertTrue(p.handles(io.kjps.rpc.plugin.Phase.LOG));
        assertFalse(p.handles(io.kjps.rpc.plugin.Phase.RESPONSE));
        assertEquals("hello 0.1.0 (test hello)", p.toString());
        assertEquals(0, p.eventsHandled());
        p.countEvent();
        assertEquals(1, p.eventsHandled());
    }
}
