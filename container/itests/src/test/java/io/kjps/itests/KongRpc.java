package io.kjps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.Closeable;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * One connection as Kong opens it (protocol.md §4.1, §4.2): a JDK unix socket client speaking raw MsgPack:1, one request
 * at a time. It expects the server's {@code [2, "serverPid", pid]} notification first.
 *
 * <p>msgpack-core comes from the distribution's own msgpack-core bundle: the test probe imports
 * {@code org.msgpack.*} dynamically, so what is tested is the same codec the server runs with.
 *
 * <p>Every connection has a deadline: a watchdog closes the channel when it passes, which ends a blocked read
 * with an exception instead of hanging the build.
 */
final class KongRpc implements Closeable {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final SocketChannel channel;
    private final MessageUnpacker in;
    private final MessagePacker out;
    private final List<Object> greeting;
    private long msgid;

    private KongRpc(Path socket) throws IOException {
        channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        CompletableFuture.delayedExecutor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).execute(this::closeQuietly);
        in = MessagePack.newDefaultUnpacker(Channels.newInputStream(channel));
        out = MessagePack.newDefaultPacker(Channels.newOutputStream(channel));
        greeting = asList(read());
    }

    /**
     * Connects and reads the server's first message.
     *
     * @param socket the socket path
     * @return the connection
     * @throws IOException when it cannot connect
     */
    static KongRpc connect(Path socket) throws IOException {
        return new KongRpc(socket);
    }

    /** @return the first message the server sent on this connection, decoded */
    List<Object> greeting() {
        return greeting;
    }

    /**
     * Sends {@code [0, msgid, method, [param]]} and reads the response, which must be {@code [1, msgid, error,
     * result]} with the same msgid.
     *
     * @param method the method
     * @param param the single parameter
     * @return the error and the result
     * @throws IOException when the connection fails
     */
    Response call(String method, Object param) throws IOException {
        long id = ++msgid;
        out.packArrayHeader(4);
        out.packInt(0);
        out.packLong(id);
        out.packString(method);
        out.packArrayHeader(1);
        pack(param);
        out.flush();
        List<Object> response = asList(read());
        assertEquals("response to " + method + ": " + response, 4, response.size());
        assertEquals("message type of the response to " + method, 1L, response.get(0));
        assertEquals("msgid of the response to " + method, id, response.get(1));
        Object error = response.get(2);
        if (error != null && !(error instanceof String)) {
            fail("the error of " + method + " must be a string or nil (Kong calls err:lower()), got " + error);
        }
        return new Response((String) error, response.get(3));
    }

    /**
     * Calls {@code plugin.StartInstance} and checks the answer.
     *
     * @param name the plugin name
     * @param config the plugin config as the JSON string Kong sends
     * @return the instance id
     * @throws IOException when the connection fails
     */
    long startInstance(String name, String config) throws IOException {
        Map<String, Object> result = call("plugin.StartInstance", Map.of("Name", name, "Config", config)).ok();
        assertEquals(name, result.get("Name"));
        assertEquals(config, result.get("Config"));
        assertTrue("StartTime " + result.get("StartTime"), result.get("StartTime") instanceof Double);
        Object id = result.get("Id");
        assertTrue("the instance Id must be a non-negative integer, got " + id, id instanceof Long l && l >= 0);
        return (Long) id;
    }

    /**
     * Calls {@code plugin.HandleEvent}, expecting success.
     *
     * @param instanceId the instance
     * @param phase the event name
     * @return the step map {@code {EventId, Data}}
     * @throws IOException when the connection fails
     */
    Step handleEvent(long instanceId, String phase) throws IOException {
        return Step.of(call("plugin.HandleEvent", Map.of("InstanceId", instanceId, "EventName", phase)).ok());
    }

    /**
     * Calls {@code plugin.Step}, expecting success.
     *
     * @param eventId the event
     * @param data the PDK result, or {@code null} to leave {@code Data} out as Kong does for nil
     * @return the next step map
     * @throws IOException when the connection fails
     */
    Step step(long eventId, Object data) throws IOException {
        Map<String, Object> param = new LinkedHashMap<>();
        param.put("EventId", eventId);
        if (data != null) {
            param.put("Data", data);
        }
        Step next = Step.of(call("plugin.Step", param).ok());
        assertEquals("EventId of the step result", eventId, next.eventId());
        return next;
    }

    private Value read() throws IOException {
        if (!in.hasNext()) {
            throw new IOException("the server closed the connection");
        }
        return in.unpackValue();
    }

    private void pack(Object v) throws IOException {
        if (v == null) {
            out.packNil();
        } else if (v instanceof String s) {
            out.packString(s);
        } else if (v instanceof Long || v instanceof Integer) {
            out.packLong(((Number) v).longValue());
        } else if (v instanceof Boolean b) {
            out.packBoolean(b);
        } else if (v instanceof Double d) {
            out.packDouble(d);
        } else if (v instanceof Map<?, ?> m) {
            out.packMapHeader(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                pack(e.getKey());
                pack(e.getValue());
            }
        } else if (v instanceof List<?> l) {
            out.packArrayHeader(l.size());
            for (Object o : l) {
                pack(o);
            }
        } else {
            throw new IllegalArgumentException("cannot pack " + v.getClass());
        }
    }

    /**
     * @param v a msgpack value
     * @return it as plain Java: null, Boolean, Long, Double, String, byte[], List, Map (insertion ordered)
     */
    static Object toJava(Value v) {
        switch (v.getValueType()) {
            case NIL:
                return null;
            case BOOLEAN:
                return v.asBooleanValue().getBoolean();
            case INTEGER:
                return v.asIntegerValue().toLong();
            case FLOAT:
                return v.asFloatValue().toDouble();
            case STRING:
                return v.asStringValue().asString();
            case BINARY:
                return v.asBinaryValue().asByteArray();
            case ARRAY: {
                List<Object> list = new ArrayList<>();
                for (Value e : v.asArrayValue()) {
                    list.add(toJava(e));
                }
                return list;
            }
            case MAP: {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (Map.Entry<Value, Value> e : v.asMapValue().entrySet()) {
                    map.put(toJava(e.getKey()), toJava(e.getValue()));
                }
                return map;
            }
            default:
                throw new AssertionError("unexpected msgpack value " + v);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Value v) {
        assertTrue("expected a msgpack array, got " + v, v.isArrayValue());
        return (List<Object>) toJava(v);
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    /**
     * A response.
     *
     * @param error the error string, or {@code null}
     * @param result the result
     */
    record Response(String error, Object result) {
        /** @return the result as a map, after checking there is no error */
        @SuppressWarnings("unchecked")
        Map<String, Object> ok() {
            assertNull("error", error);
            assertTrue("expected a map result, got " + result, result instanceof Map);
            return (Map<String, Object>) result;
        }
    }

    /**
     * A step map {@code {EventId, Data}}.
     *
     * @param eventId the event
     * @param data {@code "ret"} or a PDK call {@code {Method, Args}}
     */
    record Step(long eventId, Object data) {
        static Step of(Map<String, Object> result) {
            assertEquals("keys of the step map " + result, Set.of("EventId", "Data"), result.keySet());
            Object id = result.get("EventId");
            assertTrue("EventId must be an integer, got " + id, id instanceof Long);
            return new Step((Long) id, result.get("Data"));
        }
    }
}
