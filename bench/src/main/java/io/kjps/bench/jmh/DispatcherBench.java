package io.kjps.bench.jmh;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.rpc.codec.PdkCall;
import io.kjps.rpc.codec.RpcRequest;
import io.kjps.rpc.codec.StepResult;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.dispatch.DispatcherSettings;
import io.kjps.rpc.dispatch.PluginRegistry;
import io.kjps.rpc.dispatch.ServedPlugin;
import io.kjps.model.PluginDescriptor;
import io.kjps.rpc.server.HandlerThreads;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The dispatcher without sockets: one whole {@code hello} event (HandleEvent, two Steps, "ret") as a connection
 * thread drives it, the phase method on its own handler thread. What is left once the codec and the socket are
 * gone: the instance and event tables and the hand-offs between the connection thread and the handler thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatcherBench {
    private static final AtomicLong MSGIDS = new AtomicLong();

    private ExecutorService handlerThreads;
    private Dispatcher dispatcher;
    private long instanceId;

    /** The hello plugin of the benchmark: two PDK calls. */
    public static final class JmhHello implements KongPhaseHandler<Void> {
        @Override
        public void access(Kong kong, Void config) {
            String name = kong.request().getHeader("x-name");
            kong.response().setHeader("x-hello", "hello " + name);
        }
    }

    /** A dispatcher serving {@code bench-hello}, and one instance of it. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        PluginRegistry registry = new PluginRegistry();
        PluginDescriptor d = PluginDescriptor.parse("{\"Kong\":{\"Name\":\"bench-hello\",\"Version\":\"0.1.0\","
                + "\"Priority\":1000,\"Phases\":[\"access\"],\"Schema\":{\"fields\":[]}},\"Handler\":\""
                + JmhHello.class.getName() + "\",\"ConfigType\":null}");
        registry.register(new ServedPlugin(d, new JmhHello(), ConfigDecoder.forType(null), "jmh"), "jmh");
        handlerThreads = HandlerThreads.create("jmh-handler-", 1024);
        dispatcher = new Dispatcher(registry, handlerThreads, DispatcherSettings.DEFAULT);
        Object started = dispatcher.dispatch(request("plugin.StartInstance", map("Name", "bench-hello",
                "Config", "{}")));
        instanceId = (Long) ((Map<?, ?>) started).get("Id");
    }

    /** Stops the handler threads. */
    @TearDown(Level.Trial)
    public void tearDown() {
        handlerThreads.shutdownNow();
    }

    /**
     * @return the last step result ("ret")
     */
    @Benchmark
    public Object helloEvent() throws Exception {
        return event();
    }

    /**
     * Four connection threads at once, each running hello events.
     *
     * @return the last step result ("ret")
     */
    @Benchmark
    @Threads(4)
    public Object helloEvent4Threads() throws Exception {
        return event();
    }

    private Object event() throws Exception {
        StepResult r = (StepResult) dispatcher.dispatch(request("plugin.HandleEvent", map("InstanceId", instanceId,
                "EventName", "access")));
        while (r.data() instanceof PdkCall call) {
            Object answer = call.method().equals("kong.request.get_header") ? "Alice" : null;
            r = (StepResult) dispatcher.dispatch(request("plugin.Step", answer == null
                    ? map("EventId", r.eventId()) : map("EventId", r.eventId(), "Data", answer)));
        }
        return r.data();
    }

    private static RpcRequest request(String method, Object param) {
        return new RpcRequest(MSGIDS.incrementAndGet() & 0xffffffffL, method, param);
    }

    private static Map<Object, Object> map(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
