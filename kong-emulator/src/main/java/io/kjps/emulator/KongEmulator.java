package io.kjps.emulator;

import io.kjps.emulator.internal.ExplicitMap;
import io.kjps.emulator.internal.LuaValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Kong's side of the plugin-server protocol for one plugin in one worker (protocol.md §4.4–§4.12): StartInstance,
 * CloseInstance and the bridge loop of {@code handle_event}. The PDK calls a server asks for are answered by a
 * {@link PdkHandler} (for example a {@link FakeRequest}); the results are fixed up and packed like Kong does, and
 * sent with the Step method Kong would pick. Instance caching and recovery live in {@link ConfiguredPlugin}.
 *
 * <p>Thread-safe: events may run concurrently, each call on its own pooled connection.
 */
public final class KongEmulator {

    /** Which Kong line to imitate where they differ. */
    public enum KongLine {
        /** Kong 3.x: only the first PDK return value is kept (no StepError); raw bodies go out as bin. */
        KONG_3,
        /** Kong 2.x: a {@code nil, err} PDK return goes out as {@code plugin.StepError}; raw bodies as str. */
        KONG_2
    }

    /** How often {@link ConfiguredPlugin#handleEvent} retries after "no plugin instance" (Kong itself never stops). */
    public static final int MAX_INSTANCE_RETRIES = 3;

    private static final Set<String> MULTIMAP_METHODS = Set.of("kong.request.get_query", "kong.request.get_headers",
            "kong.response.get_headers", "kong.service.response.get_headers");
    private static final Set<String> RAW_METHODS = Set.of("kong.request.get_raw_body",
            "kong.response.get_raw_body", "kong.service.response.get_raw_body");
    private static final Map<String, String> STEP_BY_METHOD = Map.ofEntries(
            Map.entry("kong.client.get_credential", "plugin.StepCredential"),
            Map.entry("kong.client.load_consumer", "plugin.StepConsumer"),
            Map.entry("kong.client.get_consumer", "plugin.StepConsumer"),
            Map.entry("kong.client.authenticate", "plugin.StepCredential"),
            Map.entry("kong.node.get_memory_stats", "plugin.StepMemoryStats"),
            Map.entry("kong.router.get_route", "plugin.StepRoute"),
            Map.entry("kong.router.get_service", "plugin.StepService"),
            Map.entry("kong.request.get_query", "plugin.StepMultiMap"),
            Map.entry("kong.request.get_headers", "plugin.StepMultiMap"),
            Map.entry("kong.response.get_headers", "plugin.StepMultiMap"),
            Map.entry("kong.service.response.get_headers", "plugin.StepMultiMap"));

    private final KongClient client;
    private final KongLine mode;
    private final List<ConfiguredPlugin> plugins = new CopyOnWriteArrayList<>();

    /**
     * A Kong 3.x emulator.
     *
     * @param client the Rpc object (msgid counter and pool) to call through
     */
    public KongEmulator(KongClient client) {
        this(client, KongLine.KONG_3);
    }

    /**
     * @param client the Rpc object (msgid counter and pool) to call through
     * @param mode   which Kong line to imitate
     */
    public KongEmulator(KongClient client, KongLine mode) {
        this.client = Objects.requireNonNull(client);
        this.mode = Objects.requireNonNull(mode);
        // Kong: a changed serverPid drops every instance started through this Rpc object
        client.addServerPidListener(pid -> plugins.forEach(ConfiguredPlugin::resetInstance));
    }

    /** @return the client this emulator calls through */
    public KongClient client() {
        return client;
    }

    /**
     * Sends {@code plugin.StartInstance} with {@code {"Name": name, "Config": configJson}}.
     *
     * @param name       the plugin name
     * @param configJson the plugin config as Kong's JSON text (sent as a string, not a map)
     * @return the instance id the server returned
     * @throws KongException when the call fails or the result has no integer {@code Id}
     */
    public long startInstance(String name, String configJson) {
        return startedInstanceId(client.call("plugin.StartInstance", startInstanceParam(name, configJson)));
    }

    /**
     * @param name       the plugin name
     * @param configJson the plugin config as Kong's JSON text
     * @return the param of {@code plugin.StartInstance}: {@code {"Name": name, "Config": configJson}}
     */
    public static Map<String, Object> startInstanceParam(String name, String configJson) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Name", name);
        p.put("Config", configJson);
        return p;
    }

    /**
     * @param result the result of {@code plugin.StartInstance}
     * @return the instance id in it
     * @throws KongProtocolException when the result has no integer {@code Id}
     */
    public static long startedInstanceId(Object result) {
        if (result instanceof Map<?, ?> m && m.get("Id") instanceof Long id) {
            return id;
        }
        throw new KongProtocolException("StartInstance result without an integer Id: " + result);
    }

    /**
     * Sends {@code plugin.CloseInstance} with the bare id as its param ({@code [id]}). The result is ignored.
     *
     * @param instanceId the id to close
     * @throws KongException when the call fails (Kong itself ignores that; {@link ConfiguredPlugin} does too)
     */
    public void closeInstance(long instanceId) {
        client.call("plugin.CloseInstance", instanceId);
    }

    /**
     * Creates Kong's cached view of one plugin entity in this worker: (name, config) and the instance id started for
     * it, with Kong's instance recovery.
     *
     * @param name       the plugin name
     * @param configJson the config JSON text
     * @return the plugin handle (no call made yet)
     */
    public ConfiguredPlugin plugin(String name, String configJson) {
        ConfiguredPlugin p = new ConfiguredPlugin(this, name, configJson);
        plugins.add(p);
        return p;
    }

    /** Kong 3.7+ {@code reset_instance}: forget every cached instance of this plugin name in this worker. */
    void resetInstances(String name) {
        for (ConfiguredPlugin p : plugins) {
            if (p.name().equals(name)) {
                p.resetInstance();
            }
        }
    }

    /**
     * Runs Kong's bridge loop for one event: {@code plugin.HandleEvent {InstanceId, EventName}}, then one Step per
     * PDK call until the server answers {@code "ret"}. {@code kong.response.exit}/{@code error} and PDK calls that
     * raise end the event with nothing more sent (the connection is already back in the pool).
     *
     * @param instanceId the instance to run
     * @param phase      the phase (event name), e.g. {@code access}
     * @param pdk        answers the PDK calls
     * @return how the event went
     * @throws KongRpcException      when a call returns an error (the event ends there, as in Kong)
     * @throws KongIoException       when a call fails on the wire
     * @throws KongProtocolException when the server's step data is malformed
     */
    public EventOutcome handleEvent(long instanceId, String phase, PdkHandler pdk) {
        Bridge bridge = bridge(instanceId, phase, pdk);
        while (!bridge.done()) {
            bridge.answer(client.call(bridge.method(), bridge.param()));
        }
        return bridge.outcome();
    }

    /**
     * Kong's bridge loop for one event as a state machine, for a caller that does its own I/O (the benchmark's
     * event loop); {@link #handleEvent} is this with {@link KongClient#call}.
     *
     * @param instanceId the instance to run
     * @param phase      the phase (event name), e.g. {@code access}
     * @param pdk        answers the PDK calls
     * @return the event, its first call ({@code plugin.HandleEvent}) ready to send
     */
    public Bridge bridge(long instanceId, String phase, PdkHandler pdk) {
        return new Bridge(instanceId, phase, pdk);
    }

    /**
     * One event of Kong's bridge loop: send {@link #method()} with {@link #param()}, give the call's result to
     * {@link #answer}, until {@link #done()}; then {@link #outcome()}. An RPC error ends the event with the caller
     * (Kong logs it). Not thread-safe: one event, one caller at a time.
     */
    public final class Bridge {
        private final String phase;
        private final PdkHandler pdk;
        private final List<ReceivedPdkCall> calls = new ArrayList<>();
        private String method = "plugin.HandleEvent";
        private Object param;
        private Object eventIdValue;
        private Long eventId;
        private boolean first = true;
        private EventOutcome outcome;

        private Bridge(long instanceId, String phase, PdkHandler pdk) {
            this.phase = phase;
            this.pdk = pdk;
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("InstanceId", instanceId);
            p.put("EventName", phase);
            this.param = p;
        }

        /** @return whether the event has ended ({@link #outcome()} is set, nothing more to send) */
        public boolean done() {
            return outcome != null;
        }

        /** @return the method of the next call to make */
        public String method() {
            return method;
        }

        /** @return the param of the next call */
        public Object param() {
            return param;
        }

        /** @return how the event went, once {@link #done()} */
        public EventOutcome outcome() {
            return outcome;
        }

        /**
         * Takes the result of the call made ({@link #method()}), asks the PDK handler for the step's PDK call and
         * prepares the next Step, or ends the event.
         *
         * @param result the call's result
         * @throws KongProtocolException when the server's step data is malformed
         */
        public void answer(Object result) {
            if (outcome != null) {
                throw new IllegalStateException("the event has ended");
            }
            Map<?, ?> step = stepMap(method, result);
            if (first) {
                first = false;
                eventIdValue = step.get("EventId");
                eventId = eventIdValue instanceof Number n ? n.longValue() : null;
            }
            Object data = step.get("Data");
            if ("ret".equals(data)) {
                end(new EventOutcome(eventId, EventOutcome.Ending.RET, calls, null, null, 0));
                return;
            }
            ReceivedPdkCall call = pdkCall(data);
            calls.add(call);
            PdkResult r = Objects.requireNonNull(pdk.call(phase, call.method(), call.args()),
                    "PdkHandler returned null");
            if (call.method().equals("kong.response.exit") || call.method().equals("kong.response.error")) {
                if (r.isRaise()) {
                    end(new EventOutcome(eventId, EventOutcome.Ending.ABANDONED, calls, call, r.message(), 0));
                    return;
                }
                EventOutcome.Ending e = call.method().endsWith("exit")
                        ? EventOutcome.Ending.EXIT : EventOutcome.Ending.ERROR;
                end(new EventOutcome(eventId, e, calls, call, null, 0));
                return;
            }
            if (r.isRaise()) {
                end(new EventOutcome(eventId, EventOutcome.Ending.ABANDONED, calls, call, r.message(), 0));
                return;
            }
            String stepMethod;
            Object stepResult;
            if (r.isError() && mode == KongLine.KONG_2) {
                stepMethod = "plugin.StepError";
                stepResult = r.message();
            } else {
                stepResult = r.value();
                try {
                    stepResult = fix(call.method(), stepResult);
                } catch (LuaRaise e) {
                    end(new EventOutcome(eventId, EventOutcome.Ending.ABANDONED, calls, call, e.getMessage(), 0));
                    return;
                }
                stepMethod = stepResult instanceof Map<?, ?> m && m.get("_method") instanceof String s
                        ? s : STEP_BY_METHOD.getOrDefault(call.method(), "plugin.Step");
            }
            Map<String, Object> stepParam = new LinkedHashMap<>();
            if (stepResult != null) {
                stepParam.put("Data", stepResult);
            }
            if (eventIdValue != null) {
                stepParam.put("EventId", eventIdValue);
            }
            method = stepMethod;
            param = stepParam;
        }

        private void end(EventOutcome o) {
            outcome = o;
            method = null;
            param = null;
        }
    }

    private static Map<?, ?> stepMap(String method, Object result) {
        if (result instanceof Map<?, ?> m) {
            return m;
        }
        throw new KongProtocolException(method + " result is not a map: " + result);
    }

    private static ReceivedPdkCall pdkCall(Object data) {
        if (!(data instanceof Map<?, ?> m)) {
            throw new KongProtocolException("step Data must be \"ret\" or {Method, Args}, got " + data);
        }
        if (!(m.get("Method") instanceof String method)) {
            throw new KongProtocolException("step Data without a string Method: " + data);
        }
        Object a = m.get("Args");
        List<Object> args;
        if (a == null) {
            args = new ArrayList<>();
        } else if (a instanceof List<?> l) {
            @SuppressWarnings("unchecked")
            List<Object> lua = (List<Object>) LuaValues.toLua(l);
            args = lua;
        } else if (a instanceof Map<?, ?> am && am.isEmpty()) {
            args = new ArrayList<>(); // an empty map is the same empty Lua table
        } else {
            throw new KongProtocolException("step Args must be an array, got " + a + " (Method " + method + ")");
        }
        while (!args.isEmpty() && args.get(args.size() - 1) == null) {
            args.remove(args.size() - 1); // Lua's unpack stops at the last non-nil
        }
        return new ReceivedPdkCall(method, args);
    }

    private Object fix(String method, Object v) {
        if (MULTIMAP_METHODS.contains(method)) {
            return fixMmap(v);
        }
        if (RAW_METHODS.contains(method) && mode == KongLine.KONG_3) {
            byte[] b = LuaValues.bytes(v);
            if (b == null) {
                throw new LuaRaise("cannot pack " + (v == null ? "nil" : v.getClass().getSimpleName())
                        + " as binary (" + method + ")");
            }
            return b;
        }
        if (RAW_METHODS.contains(method) && v instanceof byte[] b) {
            return LuaValues.string(b); // Kong 2.x: a Lua string goes out as str
        }
        return v;
    }

    /** Kong's {@code fix_mmap}: string → [string], true → [], others as they are; empty → an explicit empty map. */
    private static Object fixMmap(Object v) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                return new ExplicitMap();
            }
            Map<Object, Object> o = new LinkedHashMap<>();
            m.forEach((k, x) -> o.put(k, fixValue(x)));
            return o;
        }
        if (v instanceof List<?> l) { // a Lua sequence: keys 1..n, still packs as an array
            if (l.isEmpty()) {
                return new ExplicitMap();
            }
            List<Object> o = new ArrayList<>(l.size());
            l.forEach(x -> o.add(fixValue(x)));
            return o;
        }
        throw new LuaRaise("bad argument #1 to 'pairs' (table expected, got "
                + (v == null ? "nil" : v.getClass().getSimpleName()) + ")");
    }

    private static Object fixValue(Object x) {
        if (Boolean.TRUE.equals(x)) {
            return List.of();
        }
        if (LuaValues.isString(x)) {
            List<Object> one = new ArrayList<>(1);
            one.add(x instanceof byte[] b ? LuaValues.string(b) : x);
            return one;
        }
        return x;
    }

    /** A Lua error raised by Kong's own code around the PDK call (fix-ups, packing). */
    private static final class LuaRaise extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LuaRaise(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public String toString() {
        return "KongEmulator[" + mode + ", " + client + "]";
    }
}
