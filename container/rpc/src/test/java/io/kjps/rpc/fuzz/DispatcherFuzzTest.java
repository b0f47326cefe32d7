package io.kjps.rpc.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.rpc.codec.DecodeLimits;
import io.kjps.rpc.codec.RpcCodec;
import io.kjps.rpc.codec.RpcRequest;
import io.kjps.rpc.codec.StepResult;
import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.dispatch.DispatcherSettings;
import io.kjps.rpc.server.HandlerThreads;
import io.kjps.rpc.dispatch.PluginRegistry;
import io.kjps.rpc.dispatch.RpcError;
import io.kjps.rpc.dispatch.TestPlugins;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.msgpack.core.MessagePack;

/**
 * Fuzzes the {@link Dispatcher} with a sequence of decoded requests (the methods Kong sends, with well-formed and
 * arbitrary params, ids that exist and ids that do not) against test plugins that call the PDK, throw and exit.
 *
 * <p>Allowed outcomes of each request are a result the codec can write or an {@link RpcError}; anything else is a
 * finding. After each sequence every event still running is cancelled and must be gone, and no sequence may leave
 * more events than it started. The committed corpus is
 * {@code src/test/resources/io/kjps/rpc/fuzz/DispatcherFuzzTestInputs/requests}.
 */
class DispatcherFuzzTest {
    private static final List<String> PLUGINS = List.of("echo", "thrower", "exiter", "config", "absent");
    private static final List<String> EVENTS = List.of("access", "response", "log", "rewrite", "certificate",
            "preread", "body_filter");
    private static final List<String> METHODS = List.of("plugin.StartInstance", "plugin.HandleEvent", "plugin.Step",
            "plugin.StepError", "plugin.StepMultiMap", "plugin.StepCredential", "plugin.StepConsumer",
            "plugin.StepRoute", "plugin.StepService", "plugin.StepMemoryStats", "plugin.StepPlugin",
            "plugin.CloseInstance", "plugin.InstanceStatus", "plugin.GetStatus", "plugin.GetPluginInfo");
    private static final DispatcherSettings SETTINGS = new DispatcherSettings(0, 5_000, 100, true,
            name -> name.equals("exiter") ? Boolean.TRUE : null);
    private static final ExecutorService THREADS = HandlerThreads.create("fuzz-event-", 1024);
    private static final PluginRegistry REGISTRY = registry();
    private static final RpcCodec CODEC = new RpcCodec(DecodeLimits.DEFAULT);

    /** A config type for the {@code config} plugin. */
    public record Config(int limit, List<String> names) {
    }

    private static PluginRegistry registry() {
        PluginRegistry r = new PluginRegistry();
        r.register(TestPlugins.plugin("echo", new KongPhaseHandler<Object>() {
            @Override
            public void access(Kong kong, Object config) {
                String v = kong.request().getHeader("x-echo");
                kong.response().setHeader("x-echo", String.valueOf(v));
            }

            @Override
            public void response(Kong kong, Object config) {
                kong.log().info("response");
            }
        }, null, "access", "response", "log"), "t");
        r.register(TestPlugins.plugin("thrower", new KongPhaseHandler<Object>() {
            @Override
            public void access(Kong kong, Object config) {
                kong.request().getHeader("x");
                throw new IllegalStateException("thrower");
            }

            @Override
            public void log(Kong kong, Object config) {
                throw new IllegalStateException("thrower in log");
            }
        }, null, "access", "log"), "t");
        r.register(TestPlugins.plugin("exiter", new KongPhaseHandler<Object>() {
            @Override
            public void access(Kong kong, Object config) {
                kong.response().exit(403, "no", Map.of("x-why", "fuzz"));
                kong.request().getHeader("after exit");
            }
        }, null, "access"), "t");
        r.register(TestPlugins.plugin("config", new KongPhaseHandler<Config>() {
            @Override
            public void rewrite(Kong kong, Config config) {
                kong.response().setHeader("x-limit", String.valueOf(config.limit()));
            }
        }, Config.class, "rewrite"), "t");
        return r;
    }

    /** The on-demand campaign: the same target for up to an hour (see README, "Fuzzing"). */
    @FuzzTest(maxDuration = "60m")
    void requestsLong(FuzzedDataProvider data) throws Exception {
        requests(data);
    }

    /** The short campaign every build runs (surefire execution {@code fuzz-...} in the pom), and the replay. */
    @FuzzTest(maxDuration = "20s")
    void requests(FuzzedDataProvider data) throws Exception {
        Dispatcher d = new Dispatcher(REGISTRY, THREADS, SETTINGS);
        List<Long> instances = new ArrayList<>();
        List<Long> events = new ArrayList<>();
        int handled = 0;
        try {
            for (int n = 0; n < 64 && data.remainingBytes() > 0; n++) {
                RpcRequest request = next(data, instances, events);
                if (request.method().equals("plugin.HandleEvent")) {
                    handled++;
                }
                Object result;
                try {
                    result = d.dispatch(request);
                } catch (RpcError e) {
                    if (e.getMessage() == null || e.getMessage().isEmpty()) {
                        throw new AssertionError("an error without a reason for " + request, e);
                    }
                    continue;
                }
                CODEC.writeResponse(MessagePack.newDefaultBufferPacker(), request.msgid(), null, result);
                if (result instanceof StepResult step) {
                    events.add(step.eventId());
                } else if (request.method().equals("plugin.StartInstance") && result instanceof Map<?, ?> m) {
                    instances.add((Long) m.get("Id"));
                }
                if (d.events().size() > handled) {
                    throw new AssertionError(d.events().size() + " events after " + handled + " HandleEvents");
                }
            }
        } finally {
            d.cancelEvents(null, "fuzz input done");
        }
        if (!d.events().isEmpty()) {
            throw new AssertionError("events left after cancelling: " + d.events());
        }
    }

    private static RpcRequest next(FuzzedDataProvider data, List<Long> instances, List<Long> events)
            throws IOException {
        int op = data.consumeInt(0, 10);
        switch (op) {
            case 0:
                return TestPlugins.start(data.pickValue(PLUGINS), data.consumeBoolean() ? null : data.consumeString(64));
            case 1:
                return TestPlugins.handle(id(data, instances), data.consumeBoolean() ? data.pickValue(EVENTS)
                        : data.consumeString(16));
            case 2:
                return TestPlugins.step(id(data, events), value(data, 3));
            case 3:
                return TestPlugins.request("plugin.StepError", TestPlugins.map("EventId", id(data, events),
                        "Data", value(data, 1)));
            case 4:
                return TestPlugins.stepNoData(id(data, events));
            case 5:
                return TestPlugins.request("plugin.CloseInstance", id(data, instances));
            case 6:
                return TestPlugins.request("plugin.InstanceStatus", id(data, instances));
            case 7:
                return TestPlugins.request("plugin.GetStatus", null);
            case 8:
                return TestPlugins.request("plugin.GetPluginInfo", data.consumeBoolean() ? data.pickValue(PLUGINS)
                        : value(data, 2));
            case 9:
                return TestPlugins.request(data.pickValue(METHODS), value(data, 3));
            default:
                return TestPlugins.request(data.consumeString(24), value(data, 2));
        }
    }

    private static long id(FuzzedDataProvider data, List<Long> known) {
        if (!known.isEmpty() && data.consumeBoolean()) {
            return known.get(data.consumeInt(0, known.size() - 1));
        }
        return data.consumeLong(0, 1L << 31);
    }

    private static Object value(FuzzedDataProvider data, int depth) {
        int kind = data.consumeInt(0, depth > 0 ? 8 : 6);
        switch (kind) {
            case 0:
                return null;
            case 1:
                return data.consumeLong();
            case 2:
                return data.consumeDouble();
            case 3:
                return data.consumeString(32);
            case 4:
                return data.consumeBoolean();
            case 5:
                return data.consumeBytes(16);
            case 6:
                return data.consumeLong(0, 1L << 31);
            case 7: {
                List<Object> l = new ArrayList<>();
                int n = data.consumeInt(0, 4);
                for (int i = 0; i < n; i++) {
                    l.add(value(data, depth - 1));
                }
                return l;
            }
            default: {
                Map<Object, Object> m = new LinkedHashMap<>();
                int n = data.consumeInt(0, 4);
                for (int i = 0; i < n; i++) {
                    m.put(data.consumeBoolean() ? data.pickValue(List.of("EventId", "Data", "InstanceId", "EventName",
                            "Name", "Config")) : value(data, 0), value(data, depth - 1));
                }
                return m;
            }
        }
    }
}
