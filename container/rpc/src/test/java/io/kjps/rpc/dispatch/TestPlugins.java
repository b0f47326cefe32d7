package io.kjps.rpc.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.kjps.plugin.KongPhaseHandler;
import io.kjps.rpc.codec.PdkCall;
import io.kjps.rpc.codec.RpcRequest;
import io.kjps.rpc.codec.StepResult;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.model.PluginDescriptor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Builds served plugins and Kong's requests for dispatcher tests. */
public final class TestPlugins {
    private static final AtomicLong MSGIDS = new AtomicLong(1);

    private TestPlugins() {
    }

    /**
     * @param name the plugin name
     * @param phases Kong phase names
     * @return a descriptor as the annotation processor writes it
     */
    public static PluginDescriptor descriptor(String name, String... phases) {
        StringBuilder p = new StringBuilder();
        for (String phase : phases) {
            p.append(p.length() == 0 ? "" : ",").append('"').append(phase).append('"');
        }
        return PluginDescriptor.parse("{\"Kong\":{\"Name\":\"" + name + "\",\"Version\":\"0.1.0\",\"Priority\":1000,"
                + "\"Phases\":[" + p + "],\"Schema\":{\"fields\":[]}},\"Handler\":\"test." + name + "\","
                + "\"ConfigType\":null}");
    }

    /**
     * @return a served plugin revision
     */
    public static ServedPlugin plugin(String name, KongPhaseHandler<?> handler, Class<?> configType,
                                      String... phases) {
        return new ServedPlugin(descriptor(name, phases), handler, ConfigDecoder.forType(configType),
                "test " + name);
    }

    /** @return {@code plugin.StartInstance {Name, Config}} */
    public static RpcRequest start(String name, String config) {
        return request("plugin.StartInstance", map("Name", name, "Config", config));
    }

    /** @return {@code plugin.HandleEvent {InstanceId, EventName}} */
    public static RpcRequest handle(long instanceId, String eventName) {
        return request("plugin.HandleEvent", map("InstanceId", instanceId, "EventName", eventName));
    }

    /** @return {@code plugin.Step {EventId, Data}} */
    public static RpcRequest step(long eventId, Object data) {
        return request("plugin.Step", map("EventId", eventId, "Data", data));
    }

    /** @return {@code plugin.Step {EventId}}: Kong's nil result */
    public static RpcRequest stepNoData(long eventId) {
        return request("plugin.Step", map("EventId", eventId));
    }

    /** @return a request */
    public static RpcRequest request(String method, Object param) {
        return new RpcRequest(MSGIDS.getAndIncrement(), method, param);
    }

    /** @return an ordered map as the codec decodes it */
    public static Map<Object, Object> map(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** @return the instance id of a StartInstance result */
    public static long id(Object startResult) {
        return (Long) assertInstanceOf(Map.class, startResult).get("Id");
    }

    /** Asserts that a step result asks Kong for a PDK call, and returns its event id. */
    public static long assertCall(Object result, String method, boolean terminal, Object... args) {
        StepResult s = assertInstanceOf(StepResult.class, result);
        PdkCall call = assertInstanceOf(PdkCall.class, s.data(), "step data of event " + s.eventId());
        assertEquals(method, call.method());
        assertEquals(Arrays.asList(args), Arrays.asList(call.args()), method + " args");
        assertEquals(terminal, call.terminal(), method + " terminal");
        return s.eventId();
    }

    /** Asserts that a step result ends the event. */
    public static long assertRet(Object result) {
        StepResult s = assertInstanceOf(StepResult.class, result);
        assertEquals(StepResult.RET, s.data());
        return s.eventId();
    }

    /** @return {@code [x]} */
    public static List<Object> list(Object... items) {
        return Arrays.asList(items);
    }
}
