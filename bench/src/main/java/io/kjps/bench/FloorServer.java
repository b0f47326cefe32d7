package io.kjps.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * The floor: a plugin server that runs no plugin code and answers every call with precomputed bytes, so the
 * benchmark shows what the socket round trips alone cost (Kong's side, the kernel, a read and a write per call).
 * It still plays the protocol correctly (msgid echoed, the EventId of HandleEvent reused by the Steps, the same
 * sequence of PDK calls per scenario as the real plugins), because the load generator checks that.
 *
 * <p>Thread per connection, blocking channel I/O, one buffered unpacker and packer per connection; or, with
 * {@code --selector}, one thread for all connections ({@link #serveAll}). Usage: {@code FloorServer <socket>
 * [--selector]}.
 */
public final class FloorServer {
    private static final Map<String, Integer> PLUGIN_INDEX = Map.of("bench-hello", 0, "bench-headers", 1,
            "bench-exit", 2, "bench-log", 3);
    /** Per plugin: the packed {@code Data} of each step result, in order; the last is "ret" or a terminal call. */
    private static final byte[][][] SCRIPTS = new byte[4][][];
    /** Per plugin: the packed StartInstance result. */
    private static final byte[][] STARTED = new byte[4][];
    private static final byte[] EVENT_ID_KEY = packed("EventId");
    private static final byte[] DATA_KEY = packed("Data");

    static {
        Map<String, Object> getHeader = call("kong.request.get_header", List.of("x-name"));
        Map<String, Object> setHeader = call("kong.response.set_header", List.of("x-hello", "hello Alice"));
        SCRIPTS[0] = new byte[][] {packed(getHeader), packed(setHeader), packed("ret")};
        byte[][] headers = new byte[11][];
        for (int i = 0; i < 10; i++) {
            headers[i] = packed(call("kong.request.get_headers", List.of()));
        }
        headers[10] = packed("ret");
        SCRIPTS[1] = headers;
        SCRIPTS[2] = new byte[][] {packed(call("kong.response.exit",
                List.of(403, "denied", Map.of("x-why", "bench"))))};
        SCRIPTS[3] = new byte[][] {packed(call("kong.log.serialize", List.of())), packed("ret")};
        PLUGIN_INDEX.forEach((name, i) -> STARTED[i] = packed(Map.of("Name", name, "Id", (long) i, "Config", "{}",
                "StartTime", 0L)));
    }

    private final ConcurrentHashMap<Long, int[]> events = new ConcurrentHashMap<>();
    private final AtomicLong eventIds = new AtomicLong();

    private FloorServer() {
    }

    /**
     * @param args the socket path
     * @throws IOException when the socket cannot be bound
     */
    public static void main(String[] args) throws IOException {
        Path socket = Path.of(args[0]);
        Files.deleteIfExists(socket);
        FloorServer server = new FloorServer();
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(socket), 4096);
            boolean selector = args.length > 1 && args[1].equals("--selector");
            System.err.println("floor server listening on " + socket + (selector ? " (one selector thread)" : ""));
            if (selector) {
                server.serveAll(listener);
            }
            while (true) {
                SocketChannel c = listener.accept();
                Thread t = new Thread(() -> server.serve(c), "floor-connection");
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c; MessageUnpacker in = MessagePack.newDefaultUnpacker(c);
             MessagePacker out = MessagePack.newDefaultPacker(c)) {
            while (in.hasNext()) {
                answer(in, out);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client went away
        }
    }

    /**
     * The selector floor: one thread waits on every connection at once (non-blocking I/O, as Node does) and answers
     * each complete request where it reads it. What a server that never hands a call to another thread and never
     * wakes more than one thread per batch of ready connections costs.
     */
    private void serveAll(ServerSocketChannel listener) throws IOException {
        listener.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            listener.register(selector, SelectionKey.OP_ACCEPT);
            MessageBufferPacker out = MessagePack.newDefaultBufferPacker();
            while (true) {
                selector.select(key -> {
                    try {
                        if (key.isAcceptable()) {
                            SocketChannel c = listener.accept();
                            if (c != null) {
                                c.configureBlocking(false);
                                c.register(selector, SelectionKey.OP_READ, new SelectorConnection());
                            }
                        } else {
                            ((SelectorConnection) key.attachment()).readable((SocketChannel) key.channel(), out);
                        }
                    } catch (IOException | RuntimeException e) {
                        key.cancel(); // the client went away
                        try {
                            key.channel().close();
                        } catch (IOException ignored) {
                            // closing anyway
                        }
                    }
                });
            }
        }
    }

    /** A connection of the selector floor: the bytes read and not yet a whole request. */
    private final class SelectorConnection {
        private ByteBuffer in = ByteBuffer.allocate(8192);

        void readable(SocketChannel c, MessageBufferPacker out) throws IOException {
            if (!in.hasRemaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                in.flip();
                in = bigger.put(in);
            }
            if (c.read(in) < 0) {
                throw new IOException("closed");
            }
            in.flip();
            int consumed = 0;
            while (true) {
                int end = messageEnd(in.array(), consumed, in.limit());
                if (end < 0) {
                    break;
                }
                try (MessageUnpacker u = MessagePack.newDefaultUnpacker(in.array(), consumed, end - consumed)) {
                    out.clear();
                    answer(u, out);
                    out.flush();
                }
                ByteBuffer wire = ByteBuffer.wrap(out.toByteArray());
                while (wire.hasRemaining()) {
                    c.write(wire); // small answers to a peer that reads them: the buffer never fills here
                }
                consumed = end;
            }
            in.position(consumed);
            in.compact();
        }
    }

    /** @return the offset after the msgpack value starting at {@code from}, or -1 when it is not all there yet */
    private static int messageEnd(byte[] bytes, int from, int to) throws IOException {
        if (from >= to) {
            return -1;
        }
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes, from, to - from)) {
            u.skipValue();
            return from + (int) u.getTotalReadBytes();
        } catch (MessageInsufficientBufferException e) {
            return -1;
        }
    }

    /** Reads one request and writes its answer. */
    private void answer(MessageUnpacker in, MessagePacker out) throws IOException {
        in.unpackArrayHeader(); // [0, msgid, method, [param]]
        in.unpackInt();
        long msgid = in.unpackLong();
        String method = in.unpackString();
        in.unpackArrayHeader();
        out.packArrayHeader(4).packInt(1).packLong(msgid).packNil();
        switch (method) {
            case "plugin.StartInstance" -> {
                String name = stringField(in, "Name");
                Integer i = PLUGIN_INDEX.get(name);
                out.writePayload(STARTED[i == null ? 0 : i]);
            }
            case "plugin.CloseInstance" -> {
                in.skipValue();
                out.packNil();
            }
            case "plugin.HandleEvent" -> {
                int plugin = (int) longField(in, "InstanceId");
                long id = eventIds.getAndIncrement();
                int[] state = {plugin, 0};
                byte[][] script = SCRIPTS[plugin];
                if (script.length > 1) {
                    events.put(id, state);
                }
                step(out, id, script[0]);
            }
            default -> { // plugin.Step and its typed variants
                long id = longField(in, "EventId");
                int[] state = events.get(id);
                byte[][] script = SCRIPTS[state[0]];
                int pos = ++state[1];
                if (pos == script.length - 1) {
                    events.remove(id);
                }
                step(out, id, script[pos]);
            }
        }
    }

    private static void step(MessagePacker out, long eventId, byte[] data) throws IOException {
        out.packMapHeader(2);
        out.writePayload(EVENT_ID_KEY);
        out.packLong(eventId);
        out.writePayload(DATA_KEY);
        out.writePayload(data);
    }

    private static String stringField(MessageUnpacker in, String key) throws IOException {
        String found = null;
        int n = in.unpackMapHeader();
        for (int i = 0; i < n; i++) {
            if (in.unpackString().equals(key)) {
                found = in.unpackString();
            } else {
                in.skipValue();
            }
        }
        return found;
    }

    private static long longField(MessageUnpacker in, String key) throws IOException {
        long found = 0;
        int n = in.unpackMapHeader();
        for (int i = 0; i < n; i++) {
            if (in.unpackString().equals(key)) {
                found = in.unpackLong();
            } else {
                in.skipValue();
            }
        }
        return found;
    }

    private static Map<String, Object> call(String method, List<Object> args) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("Method", method);
        m.put("Args", args);
        return m;
    }

    private static byte[] packed(Object v) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            write(p, v);
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(MessagePacker p, Object v) throws IOException {
        if (v instanceof String s) {
            p.packString(s);
        } else if (v instanceof Number n) {
            p.packLong(n.longValue());
        } else if (v instanceof Map<?, ?> m) {
            p.packMapHeader(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                write(p, e.getKey());
                write(p, e.getValue());
            }
        } else if (v instanceof List<?> l) {
            p.packArrayHeader(l.size());
            for (Object o : l) {
                write(p, o);
            }
        } else {
            throw new IllegalArgumentException(String.valueOf(v));
        }
    }
}
