package io.kjps.rpc.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for connections and the phase methods they run: platform threads with small stacks, in a pool that grows
 * on demand and shrinks when idle, on every JVM.
 *
 * <p>Not virtual threads, on Java 21+ either: a phase method runs on the thread that reads its connection, and that
 * thread waits for Kong in a selector of its own ({@code RpcConnection}); a virtual thread gains nothing there (the
 * wait is already cheap and nothing else would run on its carrier) and costs a carrier hand-off per wake-up, which
 * is exactly what this design avoids. One path for every JVM also keeps the behaviour tested on JDK 17 the one that
 * runs on 21+.
 */
public final class HandlerThreads {

    private HandlerThreads() {
    }

    /**
     * @param namePrefix thread name prefix, for thread dumps
     * @param maxThreads the most threads at once; more work is refused with a
     *        {@link java.util.concurrent.RejectedExecutionException}
     * @return an executor that runs each task on its own pooled platform thread (idle ones end after 30 s)
     */
    public static ExecutorService create(String namePrefix, int maxThreads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory platform = r -> {
            Thread t = new Thread(null, () -> {
                try {
                    r.run();
                } finally {
                    RpcConnection.closeSelector();
                }
            }, namePrefix + n.incrementAndGet(), 256 * 1024);
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(0, maxThreads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), platform);
    }
}
