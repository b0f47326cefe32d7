package io.kjps.rpc.server;

import io.kjps.rpc.codec.ProtocolException;
import io.kjps.rpc.codec.RpcCodec;
import io.kjps.rpc.codec.RpcRequest;
import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.dispatch.RpcError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * Serves one connection from Kong (SPEC §4.1, §4.2): sends the {@code serverPid} notification, then reads one
 * request at a time and writes its response, until EOF.
 *
 * <p>A request whose shape is wrong but whose bytes are valid msgpack gets an error response and the connection
 * goes on. Bytes that are not msgpack, exceed the limits, or end mid-message close the connection: the next
 * message boundary is unknown. Either way only this connection is affected.
 */
public final class RpcConnection implements Runnable {
    private static final System.Logger LOG = System.getLogger(RpcConnection.class.getName());

    private final InputStream in;
    private final OutputStream out;
    private final Dispatcher dispatcher;
    private final RpcCodec codec;
    private final String name;
    private final long serverPid;

    /**
     * @param in the bytes from Kong
     * @param out the bytes to Kong
     * @param dispatcher answers the calls
     * @param codec reads and writes messages
     * @param name the connection's name in logs
     * @param serverPid the pid announced with {@code serverPid}, or -1 to send no notification
     */
    public RpcConnection(InputStream in, OutputStream out, Dispatcher dispatcher, RpcCodec codec, String name,
                         long serverPid) {
        this.in = in;
        this.out = out;
        this.dispatcher = dispatcher;
        this.codec = codec;
        this.name = name;
        this.serverPid = serverPid;
    }

    @Override
    public void run() {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(in);
             MessagePacker packer = MessagePack.newDefaultPacker(out)) {
            if (serverPid >= 0) {
                codec.writeNotification(packer, "serverPid", serverPid);
                packer.flush();
            }
            serve(unpacker, packer);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> name + " closed: " + e);
        } catch (InterruptedException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> name + " interrupted");
            Thread.currentThread().interrupt();
        }
    }

    private void serve(MessageUnpacker unpacker, MessagePacker packer) throws IOException, InterruptedException {
        while (true) {
            RpcRequest request;
            try {
                request = codec.readRequest(unpacker);
            } catch (ProtocolException e) {
                LOG.log(System.Logger.Level.WARNING, name + ": " + e.getMessage()
                        + (e.inSync() ? "" : "; closing the connection"));
                if (e.inSync()) {
                    codec.writeResponse(packer, Math.max(e.msgid(), 0), "malformed request: " + e.getMessage(),
                            null);
                    packer.flush();
                    continue;
                }
                return;
            }
            if (request == null) {
                return;
            }
            Object result = null;
            String error = null;
            try {
                result = dispatcher.dispatch(request);
            } catch (RpcError e) {
                error = e.getMessage();
                LOG.log(System.Logger.Level.DEBUG, () -> name + ": " + request.method() + " failed: " + e.getMessage());
            } catch (RuntimeException e) {
                error = "internal error in " + request.method() + ": " + e;
                LOG.log(System.Logger.Level.ERROR, name + ": " + request.method() + " failed", e);
            }
            try {
                codec.writeResponse(packer, request.msgid(), error, result);
            } catch (IllegalArgumentException e) {
                // a plugin passed a value Kong cannot receive; the half-written message is discarded with the
                // packer's buffer only if nothing was flushed, so close the connection to stay safe
                LOG.log(System.Logger.Level.ERROR, name + ": cannot encode the answer to " + request.method(), e);
                return;
            }
            packer.flush();
        }
    }
}
