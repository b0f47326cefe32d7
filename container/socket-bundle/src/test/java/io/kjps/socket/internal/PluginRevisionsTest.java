package io.kjps.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.plugin.KongPhaseHandler;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.rpc.dispatch.ServedPlugin;
import io.kjps.model.PluginDescriptor;
import io.kjps.socket.internal.PluginRevisions.State;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every transition of {@link PluginRevisions}, without a framework: the framework's side is a recording fake and time
 * is a counter the test moves.
 */
class PluginRevisionsTest {
    private static final long BUNDLE = 7;
    private static final long CONFIRM_MS = 2_000;
    private static final LastGoodRevisions.Kept GOOD =
            new LastGoodRevisions.Kept(Path.of("7-1.jar"), 1, "7 sample 1.0.0");

    private long now = 1_000_000;
    private final FakeFramework fw = new FakeFramework();
    private PluginRevisions revisions;

    @BeforeEach
    void attach() {
        revisions = new PluginRevisions(() -> now);
        revisions.attach(fw, CONFIRM_MS);
    }

    // --- serving ---

    @Test
    void aHandlerOfANewBundleIsServedAndItsRevisionKept() {
        ServedPlugin p = plugin("p", "1.0.0", 10);
        PluginRevisions.Served s = revisions.handlerAdded("ref1", BUNDLE, p);
        assertNull(s.refusal());
        assertFalse(s.updated());
        assertSame(p, revisions.registry().get("p"));
        assertEquals(State.SERVING, revisions.state(BUNDLE));
        assertEquals(List.of(BUNDLE), fw.kept);
        assertEquals(BUNDLE, revisions.bundleOf(p));
    }

    @Test
    void handlersServedBeforeAttachAreKeptOnAttach() {
        PluginRevisions early = new PluginRevisions(() -> now);
        early.handlerAdded("ref1", BUNDLE, plugin("p", "1.0.0", 10));
        early.handlerAdded("ref2", 8, plugin("q", "1.0.0", 10));
        assertTrue(fw.kept.isEmpty(), "nothing is kept before the framework side is there");
        early.attach(fw, CONFIRM_MS);
        assertEquals(List.of(BUNDLE, 8L), fw.kept.stream().sorted().toList());
    }

    @Test
    void aNameAnotherBundleServesIsRefusedAndTheFirstKeepsServing() {
        ServedPlugin first = plugin("p", "1.0.0", 10);
        revisions.handlerAdded("ref1", BUNDLE, first);
        PluginRevisions.Served s = revisions.handlerAdded("ref2", 8, plugin("p", "1.0.0", 10));
        assertTrue(s.refusal().contains("already served"), s.refusal());
        assertSame(first, s.serving());
        assertSame(first, revisions.registry().get("p"));
        assertNull(revisions.state(8), "a refused bundle has no revision served");
    }

    @Test
    void aRemovedHandlerIsNoLongerServed() {
        ServedPlugin p = plugin("p", "1.0.0", 10);
        revisions.handlerAdded("ref1", BUNDLE, p);
        assertSame(p, revisions.handlerRemoved("ref1"));
        assertNull(revisions.registry().get("p"));
        assertNull(revisions.bundleOf(p));
        assertNull(revisions.handlerRemoved("ref1"), "a second removal changes nothing");
    }

    @Test
    void aNewRevisionOfAPluginReportsWhatKongReadsAtItsStart() {
        revisions.handlerAdded("ref1", BUNDLE, plugin("p", "1.0.0", 10));
        revisions.handlerRemoved("ref1");
        PluginRevisions.Served s = revisions.handlerAdded("ref2", BUNDLE, plugin("p", "1.1.0", 20));
        assertTrue(s.updated());
        assertEquals(List.of("priority 10 -> 20"), s.changes());
        revisions.handlerRemoved("ref2");
        PluginRevisions.Served renamed = revisions.handlerAdded("ref3", BUNDLE, plugin("q", "1.1.0", 20));
        assertFalse(renamed.updated());
        assertTrue(renamed.changes().get(0).startsWith("name p -> q"), renamed.changes().toString());
    }

    // --- updates that are confirmed, or not guarded ---

    @Test
    void anUpdateThatServesEveryPluginAgainIsConfirmedAndBecomesTheLastGoodRevision() throws Exception {
        serveAndUpdate("p");
        CompletableFuture<String> verdict = fw.awaitedVerdict;
        assertEquals(State.UPDATING, revisions.state(BUNDLE));
        assertTrue(revisions.isRestoring("p"));
        assertEquals(List.of(BUNDLE), fw.updatesCounted);
        revisions.handlerAdded("ref2", BUNDLE, plugin("p", "2.0.0", 10));
        assertEquals(State.SERVING, revisions.state(BUNDLE));
        assertFalse(revisions.isRestoring("p"));
        assertNull(verdict.get(0, TimeUnit.SECONDS));
        assertEquals(List.of(BUNDLE, BUNDLE), fw.kept, "kept when first served and when confirmed");
        assertTrue(fw.reports.isEmpty());
    }

    @Test
    void anUpdateThatServesSomeOfItsPluginsIsConfirmedAtTheDeadline() {
        revisions.handlerAdded("a1", BUNDLE, plugin("a", "1.0.0", 10));
        revisions.handlerAdded("b1", BUNDLE, plugin("b", "1.0.0", 10));
        revisions.updated(BUNDLE, "sample 2.0.0", GOOD);
        revisions.handlerAdded("a2", BUNDLE, plugin("a", "2.0.0", 10));
        fw.state = "ACTIVE";
        revisions.check();
        assertEquals(State.UPDATING, revisions.state(BUNDLE), "before the deadline it waits for b");
        pastDeadline();
        revisions.check();
        assertEquals(State.SERVING, revisions.state(BUNDLE));
        assertTrue(fw.rolledBack.isEmpty());
    }

    @Test
    void anUpdateWithoutALastGoodRevisionIsNotGuarded() throws Exception {
        revisions.handlerAdded("ref1", BUNDLE, plugin("p", "1.0.0", 10));
        CompletableFuture<String> verdict = revisions.nextVerdict(BUNDLE);
        revisions.updated(BUNDLE, "sample 2.0.0", null);
        assertEquals(State.SERVING, revisions.state(BUNDLE));
        assertFalse(revisions.isRestoring("p"));
        assertNull(verdict.get(0, TimeUnit.SECONDS));
    }

    @Test
    void anUpdateOfABundleThatServedNothingIsNeitherGuardedNorCounted() {
        revisions.running(BUNDLE);
        revisions.updated(BUNDLE, "lib 2.0.0", GOOD);
        assertEquals(State.SERVING, revisions.state(BUNDLE));
        assertTrue(fw.updatesCounted.isEmpty());
    }

    @Test
    void aSecondUpdateSupersedesTheFirstAndMustServeTheSamePlugins() throws Exception {
        serveAndUpdate("p");
        CompletableFuture<String> first = fw.awaitedVerdict;
        revisions.updated(BUNDLE, "sample 3.0.0", GOOD);
        assertNull(first.get(0, TimeUnit.SECONDS), "the first update has no verdict of its own");
        assertEquals(State.UPDATING, revisions.state(BUNDLE));
        assertTrue(revisions.isRestoring("p"));
    }

    // --- the four failure kinds, then the roll-back ---

    @Test
    void anUpdateThatDoesNotResolveIsRolledBackAndTheRollBackConfirmed() throws Exception {
        serveAndUpdate("p");
        revisions.startFailed(BUNDLE, "Unable to resolve sample [7](R 7.1): missing requirement");
        assertRolledBack("it did not start: Unable to resolve sample [7](R 7.1): missing requirement");
        revisions.updated(BUNDLE, "sample 1.0.0", GOOD); // the roll-back's own update
        assertEquals(State.CONFIRMING_ROLLBACK, revisions.state(BUNDLE));
        assertTrue(revisions.isRestoring("p"));
        revisions.handlerAdded("ref2", BUNDLE, plugin("p", "1.0.0", 10));
        assertEquals(State.SERVING, revisions.state(BUNDLE));
        assertFalse(revisions.isRestoring("p"));
        assertEquals("INFO rolled back bundle 7 sample 1.0.0: serving p again", fw.reports.get(1));
    }

    @Test
    void anUpdateStillNotActiveAtTheDeadlineIsStartedOnceMoreToLearnWhy() throws Exception {
        serveAndUpdate("p");
        fw.state = "INSTALLED";
        fw.startFailure = "Unable to resolve sample: missing package x";
        pastDeadline();
        revisions.check();
        assertEquals(List.of(BUNDLE), fw.startedAgain);
        assertRolledBack("it did not start: Unable to resolve sample: missing package x");
    }

    @Test
    void anUpdateThatStartsOnceMoreButStaysInactiveFailsAtTheSecondDeadline() throws Exception {
        serveAndUpdate("p");
        fw.state = "RESOLVED";
        pastDeadline();
        revisions.check();
        assertEquals(State.UPDATING, revisions.state(BUNDLE), "a second deadline after the start");
        revisions.check();
        assertEquals(State.UPDATING, revisions.state(BUNDLE));
        pastDeadline();
        revisions.check();
        assertRolledBack("it is not active (state RESOLVED)");
    }

    @Test
    void anUpdateWhoseComponentFailsToActivateIsRolledBackBeforeTheDeadline() throws Exception {
        serveAndUpdate("p");
        fw.failedComponent = "component sample.P failed to activate: boom"; // the bundle is ACTIVE
        revisions.check();
        assertRolledBack("component sample.P failed to activate: boom");
    }

    @Test
    void anUpdateWhoseHandlerNeverRegistersIsRolledBackAtTheDeadline() throws Exception {
        serveAndUpdate("p"); // ACTIVE, but no handler
        fw.explanation = ": it registered no plugin handler";
        revisions.check();
        assertEquals(State.UPDATING, revisions.state(BUNDLE));
        pastDeadline();
        revisions.check();
        assertRolledBack("within 2000 ms it served none of [p]: it registered no plugin handler");
    }

    @Test
    void anUpdateWhoseHandlerRegistersAndIsRefusedIsRolledBack() throws Exception {
        serveAndUpdate("p");
        revisions.refused(BUNDLE, "version 2.x is not one Kong accepts");
        assertRolledBack("version 2.x is not one Kong accepts");
    }

    @Test
    void aPluginOfTheFailedRevisionIsNeverKept() {
        revisions.handlerAdded("a1", BUNDLE, plugin("a", "1.0.0", 10));
        revisions.handlerAdded("b1", BUNDLE, plugin("b", "1.0.0", 10));
        revisions.updated(BUNDLE, "sample 2.0.0", GOOD);
        revisions.refused(BUNDLE, "bad b");
        int kept = fw.kept.size();
        revisions.handlerAdded("a2", BUNDLE, plugin("a", "2.0.0", 10));
        assertEquals(State.ROLLING_BACK, revisions.state(BUNDLE));
        assertEquals(kept, fw.kept.size());
    }

    @Test
    void aRollBackThatFailsTooIsReportedAndNotRetried() {
        serveAndUpdate("p");
        revisions.refused(BUNDLE, "bad");
        revisions.updated(BUNDLE, "sample 1.0.0", GOOD);
        revisions.startFailed(BUNDLE, "disk gone");
        assertEquals(State.BROKEN, revisions.state(BUNDLE));
        assertEquals("ERROR rolling back bundle 7 failed too: it did not start: disk gone; p not served. Deploy a"
                + " working jar", fw.reports.get(1));
        assertFalse(revisions.isRestoring("p"));
        assertEquals(1, fw.rolledBack.size(), "not retried");
        pastDeadline();
        revisions.check();
        assertEquals(1, fw.rolledBack.size());
    }

    @Test
    void aRollBackThatCannotBeMadeLeavesTheBundleBroken() {
        serveAndUpdate("p");
        revisions.refused(BUNDLE, "bad");
        revisions.rollBackFailed(BUNDLE, "no such file 7-1.jar");
        assertEquals(State.BROKEN, revisions.state(BUNDLE));
        assertEquals("ERROR cannot roll back bundle 7 to 7 sample 1.0.0: no such file 7-1.jar", fw.reports.get(1));
        assertFalse(revisions.isRestoring("p"));
    }

    @Test
    void aBrokenBundleServesAgainWhenAWorkingRevisionArrives() {
        serveAndUpdate("p");
        revisions.refused(BUNDLE, "bad");
        revisions.rollBackFailed(BUNDLE, "gone");
        revisions.updated(BUNDLE, "sample 3.0.0", null);
        revisions.handlerAdded("ref3", BUNDLE, plugin("p", "3.0.0", 10));
        assertEquals(State.SERVING, revisions.state(BUNDLE));
        assertEquals(BUNDLE, fw.kept.get(fw.kept.size() - 1));
    }

    // --- retired ---

    @Test
    void aRemoveDuringAnUpdateRetiresTheRevisionWithoutVerdictOrRollBack() throws Exception {
        serveAndUpdate("p");
        CompletableFuture<String> verdict = fw.awaitedVerdict;
        revisions.uninstalled(BUNDLE);
        assertEquals(State.RETIRED, revisions.state(BUNDLE));
        assertNull(verdict.get(0, TimeUnit.SECONDS));
        assertFalse(revisions.isRestoring("p"));
        fw.state = "UNINSTALLED";
        pastDeadline();
        revisions.check();
        assertTrue(fw.rolledBack.isEmpty());
        assertTrue(fw.reports.isEmpty());
    }

    @Test
    void aRemoveDuringARollBackRetiresTheRevision() {
        serveAndUpdate("p");
        revisions.refused(BUNDLE, "bad");
        revisions.uninstalled(BUNDLE);
        assertEquals(State.RETIRED, revisions.state(BUNDLE));
        assertFalse(revisions.isRestoring("p"));
        revisions.rollBackFailed(BUNDLE, "uninstalled");
        assertEquals(State.RETIRED, revisions.state(BUNDLE));
    }

    @Test
    void aBundleThatMovedIsOnItsWayForTheWindowAndAnUninstalledOneAtOnceNoLonger() {
        long window = TimeUnit.SECONDS.toNanos(5);
        assertFalse(revisions.movedWithin(BUNDLE, window), "never moved");
        revisions.moved(BUNDLE);
        assertTrue(revisions.movedWithin(BUNDLE, window));
        now += window - 1;
        assertTrue(revisions.movedWithin(BUNDLE, window));
        now += 1;
        assertFalse(revisions.movedWithin(BUNDLE, window), "settled once the window has passed");
        revisions.moved(BUNDLE);
        revisions.uninstalled(BUNDLE);
        assertFalse(revisions.movedWithin(BUNDLE, window), "an uninstalled bundle is on its way nowhere");
    }

    @Test
    void aVerdictAskedForAnUpdateThatDidNotHappenCanBeWithdrawn() throws Exception {
        revisions.handlerAdded("ref1", BUNDLE, plugin("p", "1.0.0", 10));
        CompletableFuture<String> verdict = revisions.nextVerdict(BUNDLE);
        assertTrue(revisions.withdraw(BUNDLE, verdict));
        assertNull(verdict.get(0, TimeUnit.SECONDS));
        CompletableFuture<String> second = revisions.nextVerdict(BUNDLE);
        revisions.updated(BUNDLE, "sample 2.0.0", GOOD);
        assertFalse(revisions.withdraw(BUNDLE, second), "the update happened: its verdict will come");
        assertEquals(2 * CONFIRM_MS + 5_000, revisions.verdictMillis());
    }

    @Test
    void aRunningBundleIsKeptUnlessAnUpdateOfItIsBeingConfirmed() {
        revisions.running(BUNDLE);
        assertEquals(List.of(BUNDLE), fw.kept);
        serveAndUpdate("p");
        int kept = fw.kept.size();
        revisions.running(BUNDLE);
        assertEquals(kept, fw.kept.size());
    }

    @Test
    void detachingEndsTheVerdictsAwaited() throws Exception {
        serveAndUpdate("p");
        CompletableFuture<String> verdict = fw.awaitedVerdict;
        CompletableFuture<String> next = revisions.nextVerdict(8);
        revisions.detach();
        assertNull(verdict.get(0, TimeUnit.SECONDS));
        assertNull(next.get(0, TimeUnit.SECONDS));
    }

    // --- helpers ---

    /** Serves {@code name} from the bundle, asks for the next verdict and updates the bundle. */
    private void serveAndUpdate(String name) {
        revisions.handlerAdded(name + "1", BUNDLE, plugin(name, "1.0.0", 10));
        fw.awaitedVerdict = revisions.nextVerdict(BUNDLE);
        revisions.handlerRemoved(name + "1");
        revisions.updated(BUNDLE, "sample 2.0.0", GOOD);
    }

    /** Asserts the update failed for {@code reason}, said so in one line, and is being rolled back. */
    private void assertRolledBack(String reason) throws Exception {
        String line = "update of bundle 7 to sample 2.0.0 failed: " + reason + "; rolling back to the revision served"
                + " before (7 sample 1.0.0), which keeps serving p";
        assertEquals(State.ROLLING_BACK, revisions.state(BUNDLE));
        assertEquals("ERROR " + line, fw.reports.get(0));
        assertEquals(Map.of(BUNDLE, GOOD), fw.rolledBack);
        assertEquals(List.of(BUNDLE), fw.rollBacksCounted);
        assertEquals(line, fw.awaitedVerdict.get(0, TimeUnit.SECONDS));
        assertTrue(revisions.isRestoring("p"), "calls for the plugin wait for the revision put back");
    }

    private void pastDeadline() {
        now += TimeUnit.MILLISECONDS.toNanos(CONFIRM_MS);
    }

    private static ServedPlugin plugin(String name, String version, int priority) {
        PluginDescriptor d = PluginDescriptor.parse("{\"Kong\":{\"Name\":\"" + name + "\",\"Version\":\"" + version
                + "\",\"Priority\":" + priority + ",\"Phases\":[\"access\"],\"Schema\":{\"fields\":[]}},"
                + "\"Handler\":\"p.P\",\"ConfigType\":null}");
        return new ServedPlugin(d, new KongPhaseHandler<Object>() { }, ConfigDecoder.forType(null), "test " + name);
    }

    /** Records what the revisions ask of the framework; answers what the test sets. */
    private static final class FakeFramework implements PluginRevisions.Framework {
        final List<Long> kept = new ArrayList<>();
        final Map<Long, LastGoodRevisions.Kept> rolledBack = new HashMap<>();
        final List<Long> startedAgain = new ArrayList<>();
        final List<String> reports = new ArrayList<>();
        final List<Long> updatesCounted = new ArrayList<>();
        final List<Long> rollBacksCounted = new ArrayList<>();
        String state = "ACTIVE";
        String failedComponent;
        String explanation = "";
        String startFailure;
        CompletableFuture<String> awaitedVerdict;

        @Override
        public void keep(long bundle) {
            kept.add(bundle);
        }

        @Override
        public void rollBack(long bundle, LastGoodRevisions.Kept good) {
            rolledBack.put(bundle, good);
        }

        @Override
        public String state(long bundle) {
            return state;
        }

        @Override
        public String failedComponent(long bundle) {
            return failedComponent;
        }

        @Override
        public String explainComponents(long bundle) {
            return explanation;
        }

        @Override
        public String startAgain(long bundle) {
            startedAgain.add(bundle);
            return startFailure;
        }

        @Override
        public String describe(long bundle) {
            return bundle + " sample 1.0.0";
        }

        @Override
        public void report(System.Logger.Level level, String text) {
            reports.add(level + " " + text);
        }

        @Override
        public void updateCounted(long bundle) {
            updatesCounted.add(bundle);
        }

        @Override
        public void rollBackCounted(long bundle) {
            rollBacksCounted.add(bundle);
        }
    }
}
