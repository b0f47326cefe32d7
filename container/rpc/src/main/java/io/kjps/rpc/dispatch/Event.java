package io.kjps.rpc.dispatch;

import io.kjps.pdk.PdkException;
import io.kjps.rpc.codec.MsgpackValues;
import io.kjps.rpc.codec.PdkCall;
import io.kjps.rpc.codec.StepResult;
import io.kjps.rpc.pdk.EventKong;
import io.kjps.rpc.pdk.PdkCaller;
import io.kjps.rpc.plugin.Phase;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run of one phase method for one instance: Kong's {@code EventId}.
 *
 * <p>The phase method runs on its own thread. Each PDK call it makes is handed to whichever connection thread is
 * waiting for the event's next output and goes to Kong as a step result; Kong's answer arrives with the next
 * {@code plugin.Step}, possibly on another connection, and is handed back. The states:
 * <pre>
 *   RUNNING --call--> AWAITING_RESULT --Step--> RUNNING ... --return/terminal call/failure--> FINISHED
 * </pre>
 * Every wait has a deadline: a connection never waits for a stuck phase method longer than the handler timeout, and
 * a phase method never waits for a Kong that abandoned the event longer than the abandon timeout.
 */
public final class Event implements PdkCaller {
    private static final System.Logger LOG = System.getLogger(Event.class.getName());

    private enum State { RUNNING, AWAITING_RESULT, FINISHED }

    private final long id;
    private final Instance instance;
    private final ServedPlugin plugin;
    private final Phase phase;
    private final Object config;
    private final DispatcherSettings settings;
    private final long startNanos = System.nanoTime();
    private final java.util.function.Consumer<Event> onFinished;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private State state = State.RUNNING;
    private Object output;
    private boolean hasOutput;
    private Object input;
    private String inputError;
    private boolean hasInput;
    private String finishReason;
    private Thread handlerThread;

    Event(long id, Instance instance, ServedPlugin plugin, Phase phase, Object config, DispatcherSettings settings,
          java.util.function.Consumer<Event> onFinished) {
        this.onFinished = onFinished;
        this.id = id;
        this.instance = instance;
        this.plugin = plugin;
        this.phase = phase;
        this.config = config;
        this.settings = settings;
    }

    /** @return Kong's EventId */
    public long id() {
        return id;
    }

    /** @return the instance the event runs for */
    public Instance instance() {
        return instance;
    }

    /** @return the plugin revision the event runs on */
    public ServedPlugin plugin() {
        return plugin;
    }

    /** @return the phase */
    public Phase phase() {
        return phase;
    }

    /** @return when the event started, {@link System#nanoTime()} */
    public long startNanos() {
        return startNanos;
    }

    /** Runs the phase method; called on the handler thread. */
    void run() {
        lock.lock();
        try {
            handlerThread = Thread.currentThread();
        } finally {
            lock.unlock();
        }
        try {
            EventKong kong = new EventKong(this);
            switch (phase) {
                case CERTIFICATE -> plugin.handler().certificate(kong, config);
                case REWRITE -> plugin.handler().rewrite(kong, config);
                case ACCESS -> plugin.handler().access(kong, config);
                case RESPONSE -> plugin.handler().response(kong, config);
                case PREREAD -> plugin.handler().preread(kong, config);
                case LOG -> plugin.handler().log(kong, config);
                default -> throw new IllegalStateException("phase " + phase);
            }
            finish(StepResult.RET, null);
        } catch (Throwable t) {
            failed(t);
        } finally {
            lock.lock();
            try {
                handlerThread = null;
                Thread.interrupted();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public Object call(String method, Object... args) {
        return handOver(new PdkCall(method, args, false));
    }

    @Override
    public void callTerminal(String method, Object... args) {
        handOver(new PdkCall(method, args, true));
    }

    private Object handOver(PdkCall call) {
        for (Object arg : call.args()) {
            MsgpackValues.checkWritable(arg);
        }
        lock.lock();
        try {
            if (state == State.FINISHED) {
                throw new PdkException(call.method() + " called after the event finished (" + finishReason + ")");
            }
            output = call;
            hasOutput = true;
            if (call.terminal()) {
                state = State.FINISHED;
                finishReason = call.method() + " ended it";
                changed.signalAll();
                return null;
            }
            state = State.AWAITING_RESULT;
            changed.signalAll();
            long left = TimeUnit.MILLISECONDS.toNanos(settings.abandonTimeoutMillis());
            while (!hasInput && state != State.FINISHED) {
                if (left <= 0) {
                    state = State.FINISHED;
                    finishReason = "Kong sent no result for " + call.method() + " within "
                            + settings.abandonTimeoutMillis() + " ms: abandoned";
                    onFinished.accept(this);
                    throw new PdkException(finishReason);
                }
                try {
                    left = changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PdkException(call.method() + " interrupted: " + finishReasonOr("server stopping"), e);
                }
            }
            if (!hasInput) {
                throw new PdkException(call.method() + " has no result: " + finishReason);
            }
            hasInput = false;
            state = State.RUNNING;
            Object result = input;
            String error = inputError;
            input = null;
            inputError = null;
            if (error != null) {
                throw new PdkException(call.method() + " failed in Kong: " + error);
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    private String finishReasonOr(String fallback) {
        return finishReason != null ? finishReason : fallback;
    }

    private void finish(Object data, String reason) {
        lock.lock();
        try {
            if (state == State.FINISHED) {
                return;
            }
            state = State.FINISHED;
            finishReason = reason != null ? reason : "the phase method returned";
            output = data;
            hasOutput = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void failed(Throwable t) {
        boolean alreadyFinished;
        lock.lock();
        try {
            alreadyFinished = state == State.FINISHED;
        } finally {
            lock.unlock();
        }
        if (alreadyFinished) {
            if (t instanceof PdkException) {
                LOG.log(System.Logger.Level.INFO, () -> describe() + " ended: " + t.getMessage());
            } else {
                LOG.log(System.Logger.Level.WARNING, () -> describe() + " threw after it finished ("
                        + finishReason + ")", t);
            }
            return;
        }
        LOG.log(System.Logger.Level.ERROR, () -> describe() + " failed; " + policyText(), t);
        finish(failureData(), "the phase method threw " + t);
    }

    private String policyText() {
        return phase == Phase.LOG || !failClosed() ? "the event ends normally"
                : "the request ends with kong.response.error(500)";
    }

    private Object failureData() {
        if (phase == Phase.LOG || !failClosed()) {
            return StepResult.RET;
        }
        return new PdkCall("kong.response.error", new Object[] {500}, true);
    }

    private boolean failClosed() {
        return settings.failClosedFor(plugin.name());
    }

    /**
     * Waits for the event's next output: the next PDK call, or "ret". Called on a connection thread.
     *
     * @return the data for the step result
     * @throws InterruptedException when the connection thread is interrupted
     */
    Object awaitOutput() throws InterruptedException {
        lock.lock();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(settings.handlerTimeoutMillis());
            while (!hasOutput) {
                if (left <= 0) {
                    return timedOut();
                }
                left = changed.awaitNanos(left);
            }
            hasOutput = false;
            Object out = output;
            output = null;
            return out;
        } finally {
            lock.unlock();
        }
    }

    private Object timedOut() {
        state = State.FINISHED;
        finishReason = "timed out after " + settings.handlerTimeoutMillis() + " ms";
        if (handlerThread != null) {
            handlerThread.interrupt();
        }
        changed.signalAll();
        LOG.log(System.Logger.Level.ERROR, describe() + " did not return or call the PDK within "
                + settings.handlerTimeoutMillis() + " ms; " + policyText());
        return failureData();
    }

    /**
     * Hands Kong's answer to the waiting phase method. Called on a connection thread.
     *
     * @param data the PDK result ({@code null} when Kong sent no Data)
     * @param error Kong's error text ({@code plugin.StepError}), or {@code null}
     * @throws RpcError when the event is not waiting for a result
     */
    void deliver(Object data, String error) throws RpcError {
        lock.lock();
        try {
            if (state != State.AWAITING_RESULT || hasInput) {
                throw new RpcError("event " + id + " is not waiting for a PDK result ("
                        + (state == State.FINISHED ? "finished: " + finishReason : "running") + ")");
            }
            input = data;
            inputError = error;
            hasInput = true;
            state = State.RUNNING;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the event from outside (server stopping, plugin removed): a waiting phase method gets a
     * {@link PdkException}.
     *
     * @param reason why
     */
    void cancel(String reason) {
        lock.lock();
        try {
            if (state != State.FINISHED) {
                state = State.FINISHED;
                finishReason = reason;
                changed.signalAll();
            }
            if (handlerThread != null) {
                handlerThread.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the event is waiting for a Step from Kong */
    public boolean awaitingResult() {
        lock.lock();
        try {
            return state == State.AWAITING_RESULT;
        } finally {
            lock.unlock();
        }
    }

    String describe() {
        return "plugin " + plugin + " " + phase.kongName() + " (event " + id + ", instance " + instance.id() + ")";
    }
}
