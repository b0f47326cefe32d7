package io.kjps.socket.internal;

import io.kjps.rpc.dispatch.PluginRegistry;
import io.kjps.rpc.dispatch.ServedPlugin;
import io.kjps.model.PluginDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The one owner of plugin revisions: which bundle serves which plugin now, the life of each bundle's revision
 * (served, updating, failed and rolled back, retired) and when a revision becomes the last good one. The socket
 * asks its {@link #registry()} what is live; nothing else keeps that.
 *
 * <p>Plain Java: the framework is behind {@link Framework}, and the OSGi listeners ({@link PluginSocketComponent}
 * for handler services, {@link UpdateGuard} for bundle and framework events and DS's view) only translate what
 * happens into calls here. Every method is thread-safe; none waits for the framework while holding this object's
 * lock ({@link #check()} asks it outside the lock, the other calls on {@link Framework} only queue work).
 *
 * <p>The life of a bundle's revision ({@link State}):
 * <pre>
 *   (new) --handler served--> SERVING --updated, had plugins and a last good revision--> UPDATING
 *   SERVING --updated, nothing to guard--> SERVING
 *   UPDATING --serves every plugin served before, or some of them at the deadline--> SERVING (the last good one now)
 *   UPDATING --failed--> ROLLING_BACK --updated (the roll-back itself)--> CONFIRMING_ROLLBACK
 *   UPDATING --updated again--> UPDATING (the earlier update's verdict is "superseded": none)
 *   CONFIRMING_ROLLBACK --serves them all (or some at the deadline)--> SERVING
 *   CONFIRMING_ROLLBACK --failed--> BROKEN;  ROLLING_BACK --the roll-back cannot be made--> BROKEN (never retried)
 *   BROKEN --handler served (a good jar deployed)--> SERVING
 *   any --uninstalled--> RETIRED
 * </pre>
 * An update fails in one of four ways: the bundle does not resolve or start ({@link #startFailed}, or still not
 * active at the second deadline), a component of it fails to activate (seen by {@link #check()}), its handler never
 * registers within {@code confirmMillis}, or its handler registers and then fails the server's checks (a bad
 * descriptor, a name another bundle serves: {@link #refused}).
 */
final class PluginRevisions {

    /** Where a bundle's revision is in its life. */
    enum State { SERVING, UPDATING, ROLLING_BACK, CONFIRMING_ROLLBACK, BROKEN, RETIRED }

    /** What the revisions need of the framework; implemented over OSGi by {@link UpdateGuard}. */
    interface Framework {
        /** Keeps the bundle's current revision as its last good one, in the background. */
        void keep(long bundle);

        /**
         * Updates the bundle back to {@code good}, in the background; calls {@link #rollBackFailed} when that fails.
         */
        void rollBack(long bundle, LastGoodRevisions.Kept good);

        /** @return the bundle's state: ACTIVE, INSTALLED, RESOLVED, STARTING, STOPPING or UNINSTALLED */
        String state(long bundle);

        /** @return why a component of the active bundle failed to activate, or {@code null} */
        String failedComponent(long bundle);

        /** @return what DS says of the bundle's components that are not active, as {@code ": ..."} */
        String explainComponents(long bundle);

        /** @return why starting the bundle once more failed, or {@code null} when it started */
        String startAgain(long bundle);

        /** @return "id symbolic-name version" of the bundle's current revision */
        String describe(long bundle);

        /** Reports a verdict: an ERROR or INFO line for the log and the shell's notices. */
        void report(System.Logger.Level level, String text);

        /** Counts an update of a bundle that served plugins. */
        void updateCounted(long bundle);

        /** Counts a roll-back. */
        void rollBackCounted(long bundle);
    }

    /**
     * What serving a handler came to, for the log of the one who asked.
     *
     * @param plugin  the revision
     * @param refusal why it is not served, or {@code null} when it is
     * @param serving the revision it refused to replace ({@code null} unless refused by name)
     * @param updated whether it replaced, or follows, a revision of the same plugin
     * @param changes what changed that Kong read at its start (empty when nothing did)
     */
    record Served(ServedPlugin plugin, String refusal, ServedPlugin serving, boolean updated, List<String> changes) {
    }

    /** One bundle's revision. */
    private static final class Revision {
        State state = State.SERVING;
        /** Plugins served by the current revision (right after an update, none yet). */
        final Set<String> serving = new TreeSet<>();
        /** Plugins an update or roll-back must serve again. */
        Set<String> expected = Set.of();
        LastGoodRevisions.Kept good;
        /** "symbolic-name version" of the revision being confirmed, for its verdict. */
        String incoming;
        long deadlineNanos;
        boolean startTried;
        /** Completed with the failure line, or {@code null}; {@code null} when nobody waits. */
        CompletableFuture<String> verdict;
        /** Bumped at every change, so that {@link #check()} acts only on what it looked at. */
        long generation;
    }

    private record Handler(ServedPlugin plugin, long bundle) {
    }

    private final PluginRegistry registry = new PluginRegistry();
    private final LongSupplier clock;
    private final Map<Long, Revision> revisions = new HashMap<>();
    private final Set<Long> retired = new HashSet<>();
    /** When each bundle last moved towards serving or away; read without the lock by waiting calls. */
    private final Map<Long, Long> lastMove = new ConcurrentHashMap<>();
    private final Map<Object, Handler> handlers = new HashMap<>();
    private final Map<ServedPlugin, Long> bundleOf = new HashMap<>();
    private final Map<String, PluginDescriptor> lastServed = new HashMap<>();
    private final Map<Long, String> lastNameOfBundle = new HashMap<>();
    /** Verdicts awaited for the next update of a bundle (the shell's {@code update}). */
    private final Map<Long, CompletableFuture<String>> awaited = new HashMap<>();
    private Framework framework;
    private long confirmMillis;

    /** @param clock {@link System#nanoTime()}, or a test's clock */
    PluginRevisions(LongSupplier clock) {
        this.clock = clock;
    }

    /** @return the revisions served now, by name: what the dispatcher serves */
    PluginRegistry registry() {
        return registry;
    }

    /**
     * Starts guarding updates, keeping as last good every revision that serves now (handlers can be served before
     * the framework side is ready).
     *
     * @param framework     the framework's side
     * @param confirmMillis how long an update may take to serve its plugins
     */
    synchronized void attach(Framework framework, long confirmMillis) {
        this.framework = framework;
        this.confirmMillis = confirmMillis;
        revisions.forEach((id, r) -> {
            if (r.state == State.SERVING && !r.serving.isEmpty()) {
                framework.keep(id);
            }
        });
    }

    /** Stops guarding: updates are no longer confirmed nor rolled back, verdicts awaited come as "none". */
    synchronized void detach() {
        framework = null;
        awaited.values().forEach(v -> v.complete(null));
        awaited.clear();
        for (Revision r : revisions.values()) {
            if (r.verdict != null) {
                r.verdict.complete(null);
                r.verdict = null;
            }
        }
    }

    /**
     * A handler service came: serve it, unless the name is another bundle's (then tell {@link #refused}, once the
     * refusal is logged).
     *
     * @param key    identifies the registration, for {@link #handlerRemoved}
     * @param bundle the bundle that registered it
     * @param plugin the revision it makes
     * @return what came of it
     */
    synchronized Served handlerAdded(Object key, long bundle, ServedPlugin plugin) {
        ServedPlugin previous = registry.get(plugin.name());
        String refusal = registry.register(plugin, bundle);
        if (refusal != null) {
            return new Served(plugin, refusal, registry.get(plugin.name()), false, List.of());
        }
        handlers.put(key, new Handler(plugin, bundle));
        bundleOf.put(plugin, bundle);
        served(bundle, plugin.name());
        PluginDescriptor before = previous != null ? previous.descriptor() : lastServed.get(plugin.name());
        List<String> changes = new ArrayList<>();
        String formerName = lastNameOfBundle.put(bundle, plugin.name());
        if (formerName != null && !formerName.equals(plugin.name()) && registry.get(formerName) == null) {
            changes.add("name " + formerName + " -> " + plugin.name() + " (" + formerName
                    + " is no longer served: its instances get errors until Kong drops it)");
        }
        if (before != null) {
            changes.addAll(MetadataChanges.between(before, plugin.descriptor()));
        }
        lastServed.put(plugin.name(), plugin.descriptor());
        return new Served(plugin, null, null, before != null, List.copyOf(changes));
    }

    /**
     * A handler service went away.
     *
     * @param key what {@link #handlerAdded} was given
     * @return the revision no longer served, or {@code null} when it was not served (or another replaced it)
     */
    synchronized ServedPlugin handlerRemoved(Object key) {
        Handler h = handlers.remove(key);
        if (h == null) {
            return null;
        }
        bundleOf.remove(h.plugin());
        return registry.unregister(h.plugin()) ? h.plugin() : null;
    }

    /**
     * @param plugin a served revision
     * @return the bundle serving it, or {@code null}
     */
    synchronized Long bundleOf(ServedPlugin plugin) {
        return bundleOf.get(plugin);
    }

    /** A plugin of the bundle is served by its current revision. */
    private void served(long bundle, String name) {
        Revision r = revisions.computeIfAbsent(bundle, k -> new Revision());
        r.serving.add(name);
        switch (r.state) {
            case UPDATING, CONFIRMING_ROLLBACK -> {
                if (r.serving.containsAll(r.expected)) {
                    confirm(bundle, r);
                }
            }
            case BROKEN -> {
                change(r, State.SERVING); // a revision that works arrived after all
                keep(bundle);
            }
            case SERVING -> keep(bundle);
            default -> {
                // ROLLING_BACK: a plugin of the revision that failed; it is about to be replaced, never kept
            }
        }
    }

    /**
     * A handler of the bundle was refused (a bad descriptor, a version Kong rejects, a name another bundle serves):
     * an update being confirmed has failed.
     *
     * @param bundle the bundle, or a negative number when unknown
     * @param reason why (the text already logged)
     */
    synchronized void refused(long bundle, String reason) {
        Revision r = revisions.get(bundle);
        if (r != null && (r.state == State.UPDATING || r.state == State.CONFIRMING_ROLLBACK)) {
            fail(bundle, r, reason);
        }
    }

    /**
     * The bundle's revision was replaced (an update from the deploy folder, the shell or a roll-back).
     *
     * @param bundle   the bundle
     * @param incoming "symbolic-name version" of the new revision
     * @param good     the bundle's last good revision, or {@code null}
     */
    synchronized void updated(long bundle, String incoming, LastGoodRevisions.Kept good) {
        Revision r = revisions.computeIfAbsent(bundle, k -> new Revision());
        Set<String> before = Set.copyOf(r.serving);
        r.serving.clear();
        if (r.verdict != null) {
            r.verdict.complete(null); // superseded by this update
            r.verdict = null;
        }
        r.incoming = incoming;
        r.startTried = false;
        r.deadlineNanos = clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(confirmMillis);
        if (r.state == State.ROLLING_BACK) {
            change(r, State.CONFIRMING_ROLLBACK); // must serve what the failed update had to
            return;
        }
        CompletableFuture<String> verdict = awaited.remove(bundle);
        Set<String> expected = r.state == State.UPDATING ? r.expected : before;
        if (!expected.isEmpty() && framework != null) {
            framework.updateCounted(bundle);
        }
        if (good != null && !expected.isEmpty() && framework != null) {
            r.expected = expected;
            r.good = good;
            r.verdict = verdict;
            change(r, State.UPDATING);
            return;
        }
        if (verdict != null) {
            verdict.complete(null);
        }
        r.expected = Set.of();
        change(r, r.state == State.BROKEN ? State.BROKEN : State.SERVING);
    }

    /**
     * A bundle runs outside of any update being confirmed (a library of the deploy folder once it starts, or a
     * bundle found running): its revision is good.
     *
     * @param bundle the bundle
     */
    synchronized void running(long bundle) {
        Revision r = revisions.get(bundle);
        if (r == null || r.state == State.SERVING) {
            keep(bundle);
        }
    }

    /**
     * The bundle's revision could not start (the framework's ERROR event, or a start that threw).
     *
     * @param bundle the bundle
     * @param reason why, one line
     */
    synchronized void startFailed(long bundle, String reason) {
        Revision r = revisions.get(bundle);
        if (r != null && (r.state == State.UPDATING || r.state == State.CONFIRMING_ROLLBACK)) {
            fail(bundle, r, "it did not start: " + reason);
        }
    }

    /**
     * Updating the bundle back to its last good revision failed.
     *
     * @param bundle the bundle
     * @param reason why, one line
     */
    synchronized void rollBackFailed(long bundle, String reason) {
        Revision r = revisions.get(bundle);
        if (r == null || (r.state != State.ROLLING_BACK && r.state != State.CONFIRMING_ROLLBACK)) {
            return;
        }
        change(r, State.BROKEN);
        report(System.Logger.Level.ERROR, "cannot roll back bundle " + bundle + " to " + r.good.description() + ": "
                + reason);
    }

    /**
     * The bundle was uninstalled: its revision retires, and whoever waits for a verdict on it gets none.
     *
     * @param bundle the bundle
     */
    synchronized void uninstalled(long bundle) {
        lastMove.remove(bundle);
        Revision r = revisions.remove(bundle);
        if (r != null && r.verdict != null) {
            r.verdict.complete(null);
        }
        CompletableFuture<String> verdict = awaited.remove(bundle);
        if (verdict != null) {
            verdict.complete(null);
        }
        retired.add(bundle);
    }

    /**
     * The bundle moved: installed, updated, resolved, starting, started or stopping (a stop may be the first step of
     * an update, and the framework says so only after it). Its plugins may be about to be served.
     *
     * @param bundle the bundle
     */
    void moved(long bundle) {
        lastMove.put(bundle, clock.getAsLong());
    }

    /**
     * @param bundle a bundle id
     * @param nanos  a window
     * @return whether the bundle moved within the last {@code nanos} (an uninstalled one never did)
     */
    boolean movedWithin(long bundle, long nanos) {
        Long moved = lastMove.get(bundle);
        return moved != null && clock.getAsLong() - moved < nanos;
    }

    /**
     * @param bundle a bundle id
     * @return where its revision is in its life; {@code null} for a bundle never seen
     */
    synchronized State state(long bundle) {
        Revision r = revisions.get(bundle);
        return r != null ? r.state : retired.contains(bundle) ? State.RETIRED : null;
    }

    /**
     * @param name a plugin name
     * @return whether an update or roll-back that must serve it is under way (a call for it should wait)
     */
    synchronized boolean isRestoring(String name) {
        for (Revision r : revisions.values()) {
            if (r.state != State.SERVING && r.state != State.BROKEN && r.expected.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The verdict on the next update of a bundle, for whoever makes that update (the shell's {@code update}). Ask
     * before updating the bundle.
     *
     * @param bundle the bundle about to be updated
     * @return completed with the ERROR line when the update failed and is being rolled back, or with {@code null}
     *     when it was confirmed, is not guarded (no plugin served or no revision to go back to) or the bundle was
     *     uninstalled
     */
    synchronized CompletableFuture<String> nextVerdict(long bundle) {
        CompletableFuture<String> verdict = new CompletableFuture<>();
        CompletableFuture<String> replaced = awaited.put(bundle, verdict);
        if (replaced != null) {
            replaced.complete(null);
        }
        return verdict;
    }

    /**
     * Withdraws a verdict asked for with {@link #nextVerdict} when the update may not have happened (it threw).
     *
     * @param bundle  the bundle
     * @param verdict what {@link #nextVerdict} returned
     * @return whether no update happened since (the verdict is then completed with {@code null})
     */
    synchronized boolean withdraw(long bundle, CompletableFuture<String> verdict) {
        if (awaited.get(bundle) != verdict) {
            return false;
        }
        awaited.remove(bundle);
        verdict.complete(null);
        return true;
    }

    /**
     * @return how long a verdict can take: the deadline, a second one when the bundle had to be started once more to
     *     learn why it did not start, and a margin for a loaded machine
     */
    synchronized long verdictMillis() {
        return 2 * confirmMillis + 5_000;
    }

    /**
     * Looks at every update being confirmed: a failed component fails it at once, anything else at the deadline.
     * Called periodically; asks the framework outside this object's lock.
     */
    void check() {
        Map<Long, Long> now = new HashMap<>();
        Framework fw;
        synchronized (this) {
            fw = framework;
            revisions.forEach((id, r) -> {
                if (r.state == State.UPDATING || r.state == State.CONFIRMING_ROLLBACK) {
                    now.put(id, r.generation);
                }
            });
        }
        if (fw == null) {
            return;
        }
        now.forEach((id, generation) -> check(fw, id, generation));
    }

    private void check(Framework fw, long id, long generation) {
        String state = fw.state(id);
        String failedComponent = "ACTIVE".equals(state) ? fw.failedComponent(id) : null;
        boolean late;
        synchronized (this) {
            Revision r = revisions.get(id);
            if (r == null || r.generation != generation) {
                return; // settled meanwhile
            }
            if (failedComponent != null) {
                fail(id, r, failedComponent);
                return;
            }
            late = clock.getAsLong() - r.deadlineNanos >= 0;
        }
        if (!late) {
            return;
        }
        String explanation = fw.explainComponents(id);
        boolean tryStart;
        synchronized (this) {
            Revision r = revisions.get(id);
            if (r == null || r.generation != generation) {
                return;
            }
            tryStart = deadline(id, r, state, explanation);
            generation = r.generation;
        }
        if (tryStart) {
            String failure = fw.startAgain(id);
            if (failure != null) {
                synchronized (this) {
                    Revision r = revisions.get(id);
                    if (r != null && r.generation == generation) {
                        fail(id, r, "it did not start: " + failure);
                    }
                }
            }
        }
    }

    /** @return whether to start the bundle once more (outside the lock) to learn why it did not start */
    private boolean deadline(long id, Revision r, String state, String explanation) {
        if (!r.serving.isEmpty() && "ACTIVE".equals(state)) {
            confirm(id, r);
            return false;
        }
        if ("INSTALLED".equals(state) || "RESOLVED".equals(state)) {
            if (!r.startTried) {
                r.startTried = true;
                r.deadlineNanos = clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(confirmMillis);
                r.generation++;
                return true;
            }
            fail(id, r, "it is not active (state " + state + ")");
            return false;
        }
        fail(id, r, "within " + confirmMillis + " ms it served none of " + r.expected + explanation);
        return false;
    }

    private void confirm(long id, Revision r) {
        boolean rollback = r.state == State.CONFIRMING_ROLLBACK;
        change(r, State.SERVING);
        r.expected = Set.of();
        keep(id);
        if (r.verdict != null) {
            r.verdict.complete(null);
            r.verdict = null;
        }
        if (rollback) {
            report(System.Logger.Level.INFO, "rolled back bundle " + describe(id) + ": serving "
                    + String.join(", ", r.serving) + " again");
        }
    }

    private void fail(long id, Revision r, String reason) {
        if (r.state == State.CONFIRMING_ROLLBACK) {
            change(r, State.BROKEN);
            report(System.Logger.Level.ERROR, "rolling back bundle " + id + " failed too: " + reason + "; "
                    + String.join(", ", r.expected) + " not served. Deploy a working jar");
            r.expected = Set.of();
            return;
        }
        String text = "update of bundle " + id + " to " + r.incoming + " failed: " + reason
                + "; rolling back to the revision served before (" + r.good.description() + "), which keeps serving "
                + String.join(", ", r.expected);
        change(r, State.ROLLING_BACK);
        report(System.Logger.Level.ERROR, text);
        if (r.verdict != null) {
            r.verdict.complete(text);
            r.verdict = null;
        }
        Framework fw = framework;
        if (fw != null) {
            fw.rollBackCounted(id);
            fw.rollBack(id, r.good);
        }
    }

    private static void change(Revision r, State to) {
        r.state = to;
        r.generation++;
    }

    private void keep(long bundle) {
        if (framework != null) {
            framework.keep(bundle);
        }
    }

    private String describe(long bundle) {
        return framework != null ? framework.describe(bundle) : String.valueOf(bundle);
    }

    private void report(System.Logger.Level level, String text) {
        if (framework != null) {
            framework.report(level, text);
        }
    }
}
