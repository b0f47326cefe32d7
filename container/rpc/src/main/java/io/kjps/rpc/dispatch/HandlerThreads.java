package io.kjps.rpc.dispatch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for blocking work (plugin phase methods, connections): virtual threads when the running JVM has them
 * (Java 21+), otherwise a pool of platform threads with small stacks that grows on demand and shrinks when idle.
 * The code is compiled for Java 17, so virtual threads are reached reflectively.
 */
public final class HandlerThreads {
    private static final System.Logger LOG = System.getLogger(HandlerThreads.class.getName());

    private HandlerThreads() {
    }

    /** @return whether this JVM has virtual threads */
    public static boolean virtualThreadsAvailable() {
        return virtualFactory("probe-") != null;
    }

    /**
     * @param namePrefix thread name prefix, for thread dumps
     * @param maxPlatformThreads the most platform threads when there are no virtual threads
     * @return an executor that runs each task on its own thread
     */
    public static ExecutorService create(String namePrefix, int maxPlatformThreads) {
        ThreadFactory virtual = virtualFactory(namePrefix);
        if (virtual != null) {
            try {
                return (ExecutorService) MethodHandles.publicLookup()
                        .findStatic(java.util.concurrent.Executors.class, "newThreadPerTaskExecutor",
                                MethodType.methodType(ExecutorService.class, ThreadFactory.class))
                        .invoke(virtual);
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "virtual threads unavailable, using platform threads", t);
            }
        }
        return createPlatform(namePrefix, maxPlatformThreads);
    }

    /**
     * Platform threads only, even where virtual threads exist: for threads that block in native code that does not
     * cooperate with virtual threads. junixsocket's blocking reads on a virtual thread park it and hand the wait to
     * a poll job on a small shared pool, which an idle keepalive connection occupies for as long as it stays idle:
     * with a few of Kong's idle pooled connections and two cores, reads on the busy connections stall for seconds
     * or for good. On a platform thread the read is a plain blocking system call.
     *
     * @param namePrefix thread name prefix, for thread dumps
     * @param maxPlatformThreads the most threads at once
     * @return an executor that runs each task on its own platform thread (pooled, idle ones end after 30 s)
     */
    public static ExecutorService createPlatform(String namePrefix, int maxPlatformThreads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory platform = r -> {
            Thread t = new Thread(null, r, namePrefix + n.incrementAndGet(), 256 * 1024);
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(0, maxPlatformThreads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                platform);
    }

    private static ThreadFactory virtualFactory(String namePrefix) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, namePrefix, 0L);
            return (ThreadFactory) ofVirtual.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
