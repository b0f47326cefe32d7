package io.kjps.rpc.dispatch;

import io.kjps.rpc.codec.RpcRequest;

/**
 * A {@link Reply} that is a connection from Kong, held by one thread at a time: the holder writes the answer and
 * then reads the connection's next request itself. An event uses it to wait for its next {@code plugin.Step} without
 * any other thread: Kong sends the step on the connection that carried the answer nearly always, and the event's
 * own thread reads it there ({@link Event}). The I/O layer implements it ({@code io.kjps.rpc.server}); the
 * dispatcher only passes it around, and the rules of who holds it are in {@code io.kjps.rpc.server.RpcConnection}.
 */
public interface Link extends Reply {

    /** @return whether the calling thread holds the connection (and so may read it) */
    boolean held();

    /** Makes the calling thread the holder: the thread that was given the connection calls it. */
    void take();

    /**
     * Reads the next request; only the holder calls it. Returns early, with {@code null}, when {@link #wake()} is
     * called or the deadline passes; a request already partly read is always read to its end first.
     *
     * @param deadlineNanos {@link System#nanoTime()} to give up at
     * @return the request, or {@code null} when woken or past the deadline
     * @throws java.io.EOFException when Kong closed the connection
     * @throws java.io.IOException when the connection failed or sent bytes that are not a request
     */
    RpcRequest next(long deadlineNanos) throws java.io.IOException;

    /** Makes a {@link #next} in progress on the holder's thread return {@code null}; callable from any thread. */
    void wake();

    /**
     * Gives the connection to a fresh thread, which serves it from {@code pending} on (then reads on): the holder
     * cannot serve it now.
     *
     * @param pending a request already read from the connection and not yet answered, or {@code null}
     */
    void handOff(RpcRequest pending);

    /** Serves the connection on the calling thread, which holds it, until it is closed or given away. */
    void serve();

    /** Closes the connection (any thread; idempotent). */
    void close();
}
