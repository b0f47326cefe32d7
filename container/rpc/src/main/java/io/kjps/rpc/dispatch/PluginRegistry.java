package io.kjps.rpc.dispatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The plugins being served, by name. A name belongs to one owner (a bundle) at a time: a second owner claiming a
 * served name is refused, while the same owner re-registering (a bundle update) replaces its revision.
 *
 * <p>A bundle update leaves a short gap with no service; callers {@link #await} a plugin for a bounded time
 * instead of failing at once, but only while the plugin is {@linkplain #expectWith expected}: a name that nobody is
 * about to serve is answered at once, so a plugin enabled in Kong but not deployed costs Kong no waiting.
 *
 * <p>Listeners {@linkplain #onRetired learn} when a revision stops being served (unregistered or replaced), so that
 * whoever holds objects of that revision (decoded configs) lets go of them and its class loader can be collected.
 */
public final class PluginRegistry {
    private final Map<String, Entry> plugins = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Consumer<ServedPlugin>> retirementListeners = new CopyOnWriteArrayList<>();
    /** How often {@link #await} asks {@link #expected} again while nothing changes. */
    static final long EXPECTATION_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private volatile Predicate<String> expected = name -> true;

    private record Entry(ServedPlugin plugin, Object owner) {
    }

    /**
     * Serves a plugin revision.
     *
     * @param plugin the revision
     * @param owner who provides it (a bundle id); another owner of the same name is refused
     * @return {@code null} when served, else why it was refused
     */
    public String register(ServedPlugin plugin, Object owner) {
        Entry current;
        lock.lock();
        try {
            current = plugins.get(plugin.name());
            if (current != null && !current.owner.equals(owner)) {
                return "plugin name " + plugin.name() + " is already served by " + current.plugin.origin();
            }
            plugins.put(plugin.name(), new Entry(plugin, owner));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (current != null && current.plugin != plugin) {
            retired(current.plugin);
        }
        return null;
    }

    /**
     * @param listener called, on the thread that unregistered or replaced it, with each revision that is no longer
     *                 served
     */
    public void onRetired(Consumer<ServedPlugin> listener) {
        retirementListeners.add(listener);
    }

    private void retired(ServedPlugin plugin) {
        for (Consumer<ServedPlugin> l : retirementListeners) {
            l.accept(plugin);
        }
    }

    /**
     * Stops serving a revision; does nothing when another revision has replaced it.
     *
     * @param plugin the revision
     * @return whether it was served
     */
    public boolean unregister(ServedPlugin plugin) {
        lock.lock();
        try {
            Entry current = plugins.get(plugin.name());
            if (current == null || current.plugin != plugin) {
                return false;
            }
            plugins.remove(plugin.name());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        retired(plugin);
        return true;
    }

    /**
     * @param name a plugin name
     * @return the revision served now, or {@code null}
     */
    public ServedPlugin get(String name) {
        Entry e = plugins.get(name);
        return e == null ? null : e.plugin;
    }

    /**
     * Says which names are worth waiting for: those that someone is about to serve (a bundle being installed,
     * started or updated). Without it, every name is (the RPC core alone cannot tell), so {@link #await} waits its
     * whole timeout for a name nobody serves.
     *
     * @param expected asked, on the waiting thread, whether a name that is not served now is about to be; asked again
     *                 every 50 ms and whenever the served plugins change; it must be cheap and must not block
     */
    public void expectWith(Predicate<String> expected) {
        this.expected = expected;
    }

    /**
     * Waits until a plugin is served, as long as it is {@linkplain #expectWith expected}.
     *
     * @param name the plugin name
     * @param timeoutMillis how long to wait at most
     * @return the revision, or {@code null} when none came in time or none is expected
     * @throws InterruptedException when interrupted
     */
    public ServedPlugin await(String name, long timeoutMillis) throws InterruptedException {
        ServedPlugin p = get(name);
        if (p != null || timeoutMillis <= 0) {
            return p;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = deadline - System.nanoTime();
            // asked without the lock: the predicate looks at the framework, whose threads may be registering
            if (left <= 0 || !expected.test(name)) {
                return get(name);
            }
            lock.lock();
            try {
                if ((p = get(name)) != null) {
                    return p;
                }
                changed.awaitNanos(Math.min(left, EXPECTATION_RECHECK_NANOS));
                if ((p = get(name)) != null) {
                    return p;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** @return every revision served now */
    public Collection<ServedPlugin> all() {
        List<ServedPlugin> out = new ArrayList<>();
        for (Entry e : plugins.values()) {
            out.add(e.plugin);
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }
}
