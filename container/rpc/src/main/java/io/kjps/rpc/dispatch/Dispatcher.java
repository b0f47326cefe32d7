package io.kjps.rpc.dispatch;

import io.kjps.rpc.codec.RpcCodec;
import io.kjps.rpc.codec.RpcRequest;
import io.kjps.rpc.codec.StepResult;
import io.kjps.rpc.config.ConfigException;
import io.kjps.rpc.plugin.Phase;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers Kong's plugin-server methods (protocol.md §4.3, §4.14). Instances and events live in server-global tables: the
 * steps of one event may arrive on different connections.
 *
 * <p>Thread-safe; {@link #dispatch(RpcRequest, Reply)} is called concurrently by every connection's thread and never
 * waits for a phase method. A {@code plugin.HandleEvent} that came on a {@link Link} the calling thread holds
 * returns its {@link Event}, for that thread to run at once (no hand-off: see {@code RpcConnection}); otherwise the
 * event runs on a handler thread and {@link #DEFERRED} is returned. A {@code plugin.Step*} is delivered to the
 * waiting event and returns {@link #DEFERRED}: the event's own thread answers through the {@link Reply} (and, for a
 * link, holds that connection from then on). A watchdog answers for phase methods that exceed the handler timeout.
 * {@link #dispatch(RpcRequest)} waits for the answer (for tests and tools).
 */
public final class Dispatcher {
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());
    private static final long ID_MASK = 0x7fffffffL;

    private final PluginRegistry registry;
    private final ExecutorService handlerThreads;
    private volatile DispatcherSettings settings;
    private final Map<Long, Instance> instances = new ConcurrentHashMap<>();
    private final Map<Long, Event> events = new ConcurrentHashMap<>();
    private final AtomicLong instanceIds = new AtomicLong();
    private final AtomicLong eventIds = new AtomicLong();
    private final LongAdder eventsStarted = new LongAdder();
    private final LongAdder eventsFailed = new LongAdder();
    private final long startMillis = System.currentTimeMillis();
    /**
     * The watchdog's thread, owned by this dispatcher and ended by {@link #close()} (or when the dispatcher is dropped
     * without it): never a static thread, which would outlive an update of the bundle that carries this class.
     */
    private final ScheduledThreadPoolExecutor watchdogThread;
    private volatile ScheduledFuture<?> watchdog;
    /** When each plugin last had an instance started and closed, epoch seconds (GetStatus). */
    private final Map<String, Double> lastStart = new ConcurrentHashMap<>();
    private final Map<String, Double> lastClose = new ConcurrentHashMap<>();
    private volatile EventRecorder recorder = EventRecorder.NONE;
    private volatile long slowEventNanos = TimeUnit.MILLISECONDS.toNanos(DEFAULT_SLOW_EVENT_MILLIS);

    /** The default threshold of the slow-event log, in milliseconds. */
    public static final long DEFAULT_SLOW_EVENT_MILLIS = 500;

    /** What {@link #dispatch(RpcRequest, Reply)} returns when the answer goes through the {@link Reply} later. */
    public static final Object DEFERRED = new Object() {
        @Override
        public String toString() {
            return "DEFERRED";
        }
    };

    /**
     * @param registry the plugins being served
     * @param handlerThreads runs each phase method on its own thread
     * @param settings timeouts and failure policy
     */
    public Dispatcher(PluginRegistry registry, ExecutorService handlerThreads, DispatcherSettings settings) {
        this.registry = registry;
        registry.onRetired(this::releaseRevision);
        this.handlerThreads = handlerThreads;
        this.settings = settings;
        watchdogThread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kjps-event-watchdog");
            t.setDaemon(true);
            return t;
        });
        // a dispatcher dropped without close() cancels its task; the idle thread then ends on its own
        watchdogThread.setRemoveOnCancelPolicy(true);
        watchdogThread.setKeepAliveTime(1, TimeUnit.SECONDS);
        watchdogThread.allowCoreThreadTimeOut(true);
        this.watchdog = scheduleWatchdog(settings);
    }

    /** The watchdog looks often enough for the handler timeout: a quarter of it, at most every 100 ms. */
    private static long watchdogPeriod(DispatcherSettings settings) {
        return Math.max(1, Math.min(100, settings.handlerTimeoutMillis() / 4));
    }

    private ScheduledFuture<?> scheduleWatchdog(DispatcherSettings settings) {
        long period = watchdogPeriod(settings);
        WeakReference<Dispatcher> self = new WeakReference<>(this);
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        task.set(watchdogThread.scheduleWithFixedDelay(() -> {
            Dispatcher d = self.get();
            if (d == null) {
                ScheduledFuture<?> f = task.get();
                if (f != null) {
                    f.cancel(false); // the dispatcher was dropped without close()
                }
                return;
            }
            d.checkHandlerTimeouts();
        }, period, period, TimeUnit.MILLISECONDS));
        return task.get();
    }

    /**
     * Changes the timeouts and the failure policy while serving: events and waits that start afterwards use them
     * (an operator's configuration change).
     *
     * @param changed the new settings
     */
    public synchronized void update(DispatcherSettings changed) {
        DispatcherSettings before = settings;
        settings = changed;
        if (watchdogPeriod(changed) != watchdogPeriod(before) && !watchdogThread.isShutdown()) {
            ScheduledFuture<?> old = watchdog;
            watchdog = scheduleWatchdog(changed);
            old.cancel(false);
        }
    }

    private void checkHandlerTimeouts() {
        long now = System.nanoTime();
        for (Event e : events.values()) {
            try {
                e.checkHandlerTimeout(now);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.ERROR, "watchdog failed on " + e.describe(), ex);
            }
        }
    }

    /** Stops the watchdog; events still running are not touched (see {@link #cancelEvents}). */
    public synchronized void close() {
        watchdog.cancel(false);
        watchdogThread.shutdownNow();
    }

    /** @return the timeouts and policy */
    public DispatcherSettings settings() {
        return settings;
    }

    /**
     * Sets where events are reported and when one is logged as slow; events that start afterwards use them.
     *
     * @param recorder the metrics' recorder, {@link EventRecorder#NONE} for none
     * @param slowEventMillis an event that takes at least this long logs one WARNING line with its PDK calls and
     *                        their times; {@code Long.MAX_VALUE} for never
     */
    public void observe(EventRecorder recorder, long slowEventMillis) {
        this.recorder = recorder == null ? EventRecorder.NONE : recorder;
        this.slowEventNanos = slowEventMillis >= TimeUnit.NANOSECONDS.toMillis(Long.MAX_VALUE) ? Long.MAX_VALUE
                : TimeUnit.MILLISECONDS.toNanos(Math.max(0, slowEventMillis));
    }

    /**
     * Handles one request and waits for its answer.
     *
     * @param request Kong's request
     * @return the result to send
     * @throws RpcError for a call that fails; its message goes to Kong as the error string
     * @throws InterruptedException when the calling thread is interrupted
     */
    public Object dispatch(RpcRequest request) throws RpcError, InterruptedException {
        AwaitedReply reply = new AwaitedReply();
        Object result = dispatch(request, reply);
        return result == DEFERRED ? reply.await() : result;
    }

    /**
     * Handles one request.
     *
     * @param request Kong's request
     * @param reply where the answer goes when it is {@link #DEFERRED}
     * @return the result to send; {@link #DEFERRED} when the event's thread sends it through {@code reply}; or the
     *         {@link Event} of a {@code plugin.HandleEvent} for the calling thread to {@link Event#run() run}, when
     *         {@code reply} is a {@link Link} that thread holds
     * @throws RpcError for a call that fails; its message goes to Kong as the error string
     * @throws InterruptedException when the calling thread is interrupted
     */
    public Object dispatch(RpcRequest request, Reply reply) throws RpcError, InterruptedException {
        String method = request.method();
        Object param = request.param();
        if (STEP_METHODS.contains(method)) {
            return step(method, param, isStepError(method), reply);
        }
        switch (method) {
            case "plugin.HandleEvent":
                return handleEvent(param, reply);
            case "plugin.StartInstance":
                return startInstance(param);
            case "plugin.CloseInstance":
                return closeInstance(param);
            case "plugin.InstanceStatus":
                return instanceStatus(param);
            case "plugin.GetStatus":
                return status();
            case "plugin.GetPluginInfo":
                return pluginInfo(param);
            default:
                throw new RpcError("method " + method + " not implemented");
        }
    }

    /** A reply the calling thread waits for. */
    private static final class AwaitedReply implements Reply {
        private final CountDownLatch sent = new java.util.concurrent.CountDownLatch(1);
        private Object result;
        private String error;

        @Override
        public void send(Object result, String error) {
            this.result = result;
            this.error = error;
            sent.countDown();
        }

        Object await() throws RpcError, InterruptedException {
            sent.await();
            if (error != null) {
                throw new RpcError(error);
            }
            return result;
        }
    }

    private Object startInstance(Object param) throws RpcError, InterruptedException {
        Map<?, ?> p = map(param, "plugin.StartInstance", "{Name, Config}");
        String name = string(p, "Name", "plugin.StartInstance");
        Object configValue = p.get("Config");
        if (configValue != null && !(configValue instanceof String)) {
            throw new RpcError("plugin.StartInstance: Config must be a JSON string, got "
                    + RpcCodec.describe(configValue));
        }
        String config = (String) configValue;
        ServedPlugin plugin = registry.await(name, settings.pluginWaitMillis());
        if (plugin == null) {
            throw new RpcError("plugin.StartInstance: no plugin named " + name + " is deployed (serving "
                    + names() + ")");
        }
        Object decoded;
        try {
            decoded = plugin.configDecoder().decode(config);
        } catch (ConfigException | LinkageError e) {
            LOG.log(System.Logger.Level.ERROR, "plugin " + plugin + ": config rejected: " + e.getMessage());
            throw new RpcError("plugin.StartInstance: bad config for plugin " + name + ": " + e.getMessage());
        }
        long id = instanceIds.getAndIncrement() & ID_MASK;
        Instance instance = new Instance(id, name, config, plugin, decoded);
        instances.put(id, instance);
        lastStart.put(name, instance.startTimeMillis() / 1000.0);
        recorder.instanceStarted(name);
        LOG.log(System.Logger.Level.DEBUG, () -> "started instance " + id + " of " + plugin);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("Name", name);
        result.put("Id", id);
        result.put("Config", config);
        result.put("StartTime", instance.startTimeMillis() / 1000.0);
        return result;
    }

    private Object closeInstance(Object param) throws RpcError {
        long id = id(param, "plugin.CloseInstance");
        Instance removed = instances.remove(id);
        if (removed == null) {
            throw RpcError.noInstance(id);
        }
        closed(removed, false);
        LOG.log(System.Logger.Level.DEBUG, () -> "closed instance " + id + " of " + removed.pluginName());
        return instanceStatusOf(removed);
    }

    private void closed(Instance instance, boolean expired) {
        lastClose.put(instance.pluginName(), System.currentTimeMillis() / 1000.0);
        recorder.instanceClosed(instance.pluginName(), expired);
    }

    private Object instanceStatus(Object param) throws RpcError {
        long id = id(param, "plugin.InstanceStatus");
        Instance instance = instances.get(id);
        if (instance == null) {
            throw RpcError.noInstance(id);
        }
        return instanceStatusOf(instance);
    }

    private static Map<String, Object> instanceStatusOf(Instance instance) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("Name", instance.pluginName());
        result.put("Id", instance.id());
        result.put("Config", instance.configJson());
        result.put("StartTime", instance.startTimeMillis() / 1000.0);
        return result;
    }

    private Object handleEvent(Object param, Reply reply) throws RpcError, InterruptedException {
        Map<?, ?> p = map(param, "plugin.HandleEvent", "{InstanceId, EventName}");
        long instanceId = id(p.get("InstanceId"), "plugin.HandleEvent InstanceId");
        String eventName = string(p, "EventName", "plugin.HandleEvent");
        Instance instance = instances.get(instanceId);
        if (instance == null) {
            throw RpcError.noInstance(instanceId);
        }
        Phase phase = Phase.fromKong(eventName);
        if (phase == null) {
            throw new RpcError("plugin.HandleEvent: unknown event " + eventName
                    + "; expected certificate, rewrite, access, response, preread or log");
        }
        long received = System.nanoTime();
        EventRecorder.PluginRecorder metrics = recorder.plugin(instance.pluginName());
        ServedPlugin plugin = registry.await(instance.pluginName(), settings.pluginWaitMillis());
        if (plugin == null) {
            metrics.eventEnded(phase, EventEnd.FAILED, System.nanoTime() - received);
            throw new RpcError("plugin.HandleEvent: plugin " + instance.pluginName() + " of instance " + instanceId
                    + " is not deployed");
        }
        long eventId = eventIds.getAndIncrement() & ID_MASK;
        if (!plugin.handles(phase)) {
            LOG.log(System.Logger.Level.WARNING, () -> "Kong called phase " + eventName + " of " + plugin
                    + ", which does not implement it; answering ret. Kong reads phases at start: run `kong reload`.");
            return new StepResult(eventId, StepResult.RET);
        }
        Object config;
        try {
            config = instance.configFor(plugin);
        } catch (ConfigException | LinkageError e) {
            metrics.eventEnded(phase, EventEnd.FAILED, System.nanoTime() - received);
            throw new RpcError("plugin.HandleEvent: config of instance " + instanceId + " does not fit " + plugin
                    + ": " + e.getMessage());
        }
        instance.touch();
        Event event = new Event(eventId, instance, plugin, phase, config, settings, this::forget, reply, metrics,
                slowEventNanos);
        events.put(eventId, event);
        eventsStarted.increment();
        plugin.countEvent();
        if (reply instanceof Link link && link.held()) {
            return event; // the connection's thread runs it: no hand-off (RpcConnection)
        }
        try {
            handlerThreads.execute(() -> {
                Link last = event.run();
                if (last != null) {
                    last.serve(); // a step came on a connection: this thread holds it now
                }
            });
        } catch (RejectedExecutionException e) {
            events.remove(eventId);
            eventsFailed.increment();
            metrics.eventEnded(phase, EventEnd.FAILED, System.nanoTime() - received);
            throw new RpcError("plugin.HandleEvent: server busy, " + events.size() + " events in flight");
        }
        return DEFERRED;
    }

    /** Kong's step methods: the result of the last PDK call, by the kind Kong picked (docs/protocol.md §4.7). */
    private static final Set<String> STEP_METHODS = Set.of("plugin.Step", "plugin.StepMultiMap",
            "plugin.StepCredential", "plugin.StepConsumer", "plugin.StepRoute", "plugin.StepService",
            "plugin.StepMemoryStats", "plugin.StepPlugin", "plugin.StepError");

    /** What {@link #stepOf} returns for a request that is not a well-formed step of the event. */
    static final Object NOT_A_STEP = new Object();

    /**
     * @param request a request
     * @param eventId an event's id
     * @return the request's {@code Data} when it is a {@code plugin.Step*} of that event (possibly {@code null}),
     *         else {@link #NOT_A_STEP}
     */
    static Object stepOf(RpcRequest request, long eventId) {
        if (!STEP_METHODS.contains(request.method()) || !(request.param() instanceof Map<?, ?> p)) {
            return NOT_A_STEP;
        }
        return idOrMinus1(p.get("EventId")) == eventId ? p.get("Data") : NOT_A_STEP;
    }

    /** @return whether Kong reports a failed PDK call with this step method */
    static boolean isStepError(String method) {
        return "plugin.StepError".equals(method);
    }

    private Object step(String method, Object param, boolean error, Reply reply) throws RpcError {
        Map<?, ?> p = map(param, method, "{EventId, Data}");
        long eventId = id(p.get("EventId"), method + " EventId");
        Event event = events.get(eventId);
        if (event == null) {
            throw new RpcError(method + ": no running event " + eventId);
        }
        Object data = p.get("Data");
        if (error) {
            event.deliver(null, data == null ? "unknown error" : String.valueOf(data), reply);
        } else {
            event.deliver(data, null, reply);
        }
        return DEFERRED;
    }

    /** An event finished: drop it, and report it (once: only the caller that removes it reports it). */
    private void forget(Event event) {
        if (events.remove(event.id(), event)) {
            event.record();
        }
    }

    /**
     * Drops instances that ran no event for a while: Kong 3.5+ resets instances without CloseInstance, and a
     * reload never closes the old workers' instances (protocol.md §4.10).
     *
     * @param idleMillis how long an instance may stay unused
     * @return how many were dropped
     */
    public int expireInstances(long idleMillis) {
        long limit = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(idleMillis);
        int n = 0;
        for (Instance i : instances.values()) {
            if (i.lastUsedNanos() - limit < 0 && instances.remove(i.id(), i)) {
                closed(i, true);
                n++;
            }
        }
        return n;
    }

    /**
     * Ends every running event (the server is stopping, or its plugin was removed).
     *
     * @param pluginName only events of this plugin, or {@code null} for all
     * @param reason the reason the phase methods see
     */
    public void cancelEvents(String pluginName, String reason) {
        for (Event e : events.values()) {
            if (pluginName == null || e.plugin().name().equals(pluginName)) {
                e.cancel(reason);
                forget(e);
            }
        }
    }

    /** @return the events in flight */
    public Collection<Event> events() {
        return new ArrayList<>(events.values());
    }

    /**
     * Releases every instance's config decoded for a revision that is no longer served (called by the registry).
     *
     * @param plugin the retired revision
     */
    private void releaseRevision(ServedPlugin plugin) {
        int n = 0;
        for (Instance i : instances.values()) {
            if (i.release(plugin)) {
                n++;
            }
        }
        int released = n;
        LOG.log(System.Logger.Level.DEBUG, () -> "released the configs of " + released + " instances decoded for "
                + plugin);
    }

    /** @return the live instances */
    public Collection<Instance> instances() {
        return new ArrayList<>(instances.values());
    }

    /** @return how many events were started since the server started */
    public long eventsStarted() {
        return eventsStarted.sum();
    }

    /** @return the plugins being served */
    public PluginRegistry registry() {
        return registry;
    }

    /**
     * The answer to {@code plugin.GetStatus}: what the JavaScript and Python servers answer ({@code Pid}, and
     * {@code Plugins} by name with {@code Name}, {@code Modtime}, {@code LoadTime}, {@code Instances},
     * {@code LastStartInstance}, {@code LastCloseInstance}; times in epoch seconds, 0 for never; a bundle revision's
     * {@code Modtime} is when it was registered, as its {@code LoadTime}), plus this server's {@code StartTime},
     * {@code Instances} and {@code Events} (counts now) and the recorder's figures under {@code Metrics}.
     */
    private Map<String, Object> status() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("Pid", ProcessHandle.current().pid());
        result.put("StartTime", startMillis / 1000.0);
        Map<String, Object> plugins = new LinkedHashMap<>();
        Collection<Instance> live = instances.values();
        for (ServedPlugin p : registry.all()) {
            List<Object> mine = new ArrayList<>();
            for (Instance i : live) {
                if (i.pluginName().equals(p.name())) {
                    mine.add(instanceStatusOf(i));
                }
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("Name", p.name());
            one.put("Modtime", p.loadTimeMillis() / 1000.0);
            one.put("LoadTime", p.loadTimeMillis() / 1000.0);
            one.put("Instances", mine);
            one.put("LastStartInstance", lastStart.getOrDefault(p.name(), 0.0));
            one.put("LastCloseInstance", lastClose.getOrDefault(p.name(), 0.0));
            plugins.put(p.name(), one);
        }
        result.put("Plugins", plugins);
        result.put("Instances", (long) instances.size());
        result.put("Events", (long) events.size());
        result.put("Metrics", recorder.status());
        return result;
    }

    private Object pluginInfo(Object param) throws RpcError {
        if (!(param instanceof String name)) {
            throw new RpcError("plugin.GetPluginInfo: expected a plugin name, got " + RpcCodec.describe(param));
        }
        ServedPlugin plugin = registry.get(name);
        if (plugin == null) {
            throw new RpcError("plugin.GetPluginInfo: no plugin named " + name + " is deployed");
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("Name", plugin.name());
        info.put("Version", plugin.descriptor().version());
        info.put("Priority", (long) plugin.descriptor().priority());
        info.put("Phases", new ArrayList<Object>(plugin.descriptor().phases()));
        info.put("Schema", plugin.descriptor().schemaJson());
        return info;
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        for (ServedPlugin p : registry.all()) {
            names.add(p.name());
        }
        return names;
    }

    private static Map<?, ?> map(Object param, String method, String shape) throws RpcError {
        if (!(param instanceof Map<?, ?> m)) {
            throw new RpcError(method + ": expected a map " + shape + ", got " + RpcCodec.describe(param));
        }
        return m;
    }

    private static String string(Map<?, ?> p, String key, String method) throws RpcError {
        Object v = p.get(key);
        if (!(v instanceof String s)) {
            throw new RpcError(method + ": expected " + key + " as a string, got " + RpcCodec.describe(v));
        }
        return s;
    }

    private static long id(Object v, String what) throws RpcError {
        long id = idOrMinus1(v);
        if (id < 0) {
            throw new RpcError(what + ": expected a non-negative integer id, got " + RpcCodec.describe(v));
        }
        return id;
    }

    /** @return the id Kong sent (an integer, or a whole double), or -1 when it is not one */
    private static long idOrMinus1(Object v) {
        if (v instanceof Long l && l >= 0) {
            return l;
        }
        if (v instanceof Double d && d >= 0 && d == Math.rint(d)) {
            return d.longValue();
        }
        return -1;
    }
}
