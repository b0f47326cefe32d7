package io.kjps.rpc.pdk;

import static io.kjps.rpc.testutil.Bytes.fixstr;
import static io.kjps.rpc.testutil.Bytes.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.pdk.Kong;
import io.kjps.pdk.entity.FormattedMemoryStats;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.rpc.codec.DecodeLimits;
import io.kjps.rpc.codec.MsgpackValues;
import io.kjps.rpc.codec.RpcCodec;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.dispatch.DispatcherSettings;
import io.kjps.rpc.server.HandlerThreads;
import io.kjps.rpc.dispatch.PluginRegistry;
import io.kjps.rpc.dispatch.ServedPlugin;
import io.kjps.model.PluginDescriptor;
import io.kjps.rpc.server.RpcConnection;
import io.kjps.rpc.testutil.Bytes;
import io.kjps.rpc.testutil.KongEnd;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * The PDK 1.2 calls ({@code kong.node.get_memory_stats(unit, scale)}, {@code kong.vault.update},
 * {@code kong.vault.flush}) through the production connection, dispatcher and codec: the exact bytes of each
 * {@code Method} and {@code Args} the server sends, and Kong-packed answers decoded into the typed results.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PdkOnTheWireTest {
    private ExecutorService handlerThreads;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (handlerThreads != null) {
            handlerThreads.shutdownNow();
            assertTrue(handlerThreads.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    /** Calls the three functions in its access phase and hands over what it got. */
    static final class Caller implements KongPhaseHandler<Object> {
        final CompletableFuture<FormattedMemoryStats> stats = new CompletableFuture<>();
        final CompletableFuture<Map<String, Object>> updated = new CompletableFuture<>();

        @Override
        public void access(Kong kong, Object config) {
            stats.complete(kong.node().getMemoryStats("m", 1));
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("password", "old");
            options.put("$refs", Map.of("password", "{vault://env/pw}"));
            updated.complete(kong.vault().update(options));
            kong.vault().flush();
        }
    }

    /** Keeps the bytes read since the last {@link #take()}. */
    static final class Recorder extends FilterInputStream {
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

        Recorder(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                seen.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                seen.write(b, off, n);
            }
            return n;
        }

        String take() {
            String hex = toHex(seen.toByteArray());
            seen.reset();
            return hex;
        }
    }

    /** Kong's request {@code [0, msgid, method, [param]]}, packed as Kong's packer would. */
    private static byte[] request(long msgid, String method, Bytes.PackAction param) {
        return Bytes.packed(p -> {
            p.packArrayHeader(4);
            p.packInt(0);
            p.packLong(msgid);
            p.packString(method);
            p.packArrayHeader(1);
            param.pack(p);
        });
    }

    /** The server's step result {@code [1, msgid, nil, {EventId: 0, Data: {Method, Args}}]} up to the Args. */
    private static String step(long msgid, String method) {
        return "9401" + String.format("%02x", msgid) + "c082" + fixstr("EventId") + "00" + fixstr("Data") + "82"
                + fixstr("Method") + fixstr(method) + fixstr("Args");
    }

    @Test
    void memoryStatsWithAUnitAndVaultUpdateAndFlush() throws Exception {
        handlerThreads = HandlerThreads.create("wire-test-", 8);
        Caller plugin = new Caller();
        PluginRegistry registry = new PluginRegistry();
        registry.register(new ServedPlugin(PluginDescriptor.parse("{\"Kong\":{\"Name\":\"wire\",\"Version\":\"1.0.0\","
                + "\"Priority\":1,\"Phases\":[\"access\"],\"Schema\":{\"fields\":[]}},\"Handler\":\"x.Caller\"}"),
                plugin, ConfigDecoder.forType(null), "test"), "bundle");
        Dispatcher dispatcher = new Dispatcher(registry, handlerThreads,
                new DispatcherSettings(100, 20_000, 20_000, true));
        KongEnd end = KongEnd.open();
        Thread connection = new Thread(new RpcConnection(end.server, dispatcher, new RpcCodec(DecodeLimits.DEFAULT),
                handlerThreads, "wire", -1, null), "wire connection");
        connection.start();
        Recorder recorder = new Recorder(end.in);
        // Kong and the server take turns, so the unpacker never holds bytes of the next message
        MessageUnpacker fromServer = MessagePack.newDefaultUnpacker(recorder);

        end.out.write(request(1, "plugin.StartInstance", p -> {
            p.packMapHeader(2);
            p.packString("Name").packString("wire");
            p.packString("Config").packString("{}");
        }));
        List<?> started = (List<?>) MsgpackValues.read(fromServer, DecodeLimits.DEFAULT);
        assertEquals(0L, ((Map<?, ?>) started.get(3)).get("Id"), started.toString());
        recorder.take();

        end.out.write(request(2, "plugin.HandleEvent", p -> {
            p.packMapHeader(2);
            p.packString("InstanceId").packInt(0);
            p.packString("EventName").packString("access");
        }));
        MsgpackValues.read(fromServer, DecodeLimits.DEFAULT);
        assertEquals(step(2, "kong.node.get_memory_stats") + "92" + fixstr("m") + "01", recorder.take(),
                "Args [\"m\", 1]");

        // Kong's answer: the table get_memory_stats("m", 1) returns, packed by Kong (pid as an integer)
        end.out.write(request(3, "plugin.StepMemoryStats", p -> {
            p.packMapHeader(2);
            p.packString("Data");
            p.packMapHeader(2);
            p.packString("workers_lua_vms").packArrayHeader(2);
            p.packMapHeader(2).packString("pid").packInt(4242).packString("http_allocated_gc").packString("2.5 MiB");
            p.packMapHeader(2).packString("pid").packInt(4243).packString("err")
                    .packString("could not get worker's HTTP Lua VM memory (pid: 4243): reported value is corrupted");
            p.packString("lua_shared_dicts").packMapHeader(2);
            p.packString("kong").packMapHeader(2).packString("capacity").packString("5.0 MiB")
                    .packString("allocated_slabs").packString("0.0 MiB");
            p.packString("kong_db_cache").packMapHeader(2).packString("capacity").packString("128.0 MiB")
                    .packString("allocated_slabs").packString("0.8 MiB");
            p.packString("EventId").packInt(0);
        }));
        MsgpackValues.read(fromServer, DecodeLimits.DEFAULT);
        assertEquals(step(3, "kong.vault.update") + "91" + "82" + fixstr("password") + fixstr("old")
                + fixstr("$refs") + "81" + fixstr("password") + fixstr("{vault://env/pw}"), recorder.take(),
                "Args [options], the map in the plugin's order");
        FormattedMemoryStats stats = plugin.stats.get(10, TimeUnit.SECONDS);
        Map<String, FormattedMemoryStats.SharedDict> dicts = new LinkedHashMap<>();
        dicts.put("kong", new FormattedMemoryStats.SharedDict("0.0 MiB", "5.0 MiB"));
        dicts.put("kong_db_cache", new FormattedMemoryStats.SharedDict("0.8 MiB", "128.0 MiB"));
        assertEquals(dicts, stats.luaSharedDicts());
        assertEquals(List.of(new FormattedMemoryStats.WorkerVm(4242, "2.5 MiB", null),
                new FormattedMemoryStats.WorkerVm(4243, null,
                        "could not get worker's HTTP Lua VM memory (pid: 4243): reported value is corrupted")),
                stats.workersLuaVms());

        end.out.write(request(4, "plugin.Step", p -> {
            p.packMapHeader(2);
            p.packString("Data").packMapHeader(2);
            p.packString("password").packString("s3cr3t");
            p.packString("$refs").packMapHeader(1).packString("password").packString("{vault://env/pw}");
            p.packString("EventId").packInt(0);
        }));
        MsgpackValues.read(fromServer, DecodeLimits.DEFAULT);
        assertEquals(step(4, "kong.vault.flush") + "90", recorder.take(), "no arguments: Args []");
        assertEquals(Map.of("password", "s3cr3t", "$refs", Map.of("password", "{vault://env/pw}")),
                plugin.updated.get(10, TimeUnit.SECONDS));

        // flush returns nothing: a Step without Data
        end.out.write(request(5, "plugin.Step", p -> {
            p.packMapHeader(1);
            p.packString("EventId").packInt(0);
        }));
        MsgpackValues.read(fromServer, DecodeLimits.DEFAULT);
        assertEquals("940105c082" + fixstr("EventId") + "00" + fixstr("Data") + fixstr("ret"), recorder.take());

        end.out.close();
        connection.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(connection.isAlive(), "EOF ends the connection");
    }
}
