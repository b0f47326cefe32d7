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
 * <p>The phase method runs on its own thread. Each PDK call it makes goes to Kong at once, written by that thread as
 * the answer to the request that resumed it (the {@code HandleEvent}, then each {@code plugin.Step}: its
 * {@link Reply}); Kong's answer arrives with the next {@code plugin.Step}, possibly on another connection, and is
 * handed to the waiting phase method. No connection thread waits for a phase method. The states:
 * <pre>
 *   RUNNING --call--> AWAITING_RESULT --Step--> RUNNING ... --return/terminal call/failure--> FINISHED
 * </pre>
 * Every wait has a deadline: the dispatcher's watchdog ({@link #checkHandlerTimeout}) answers for a phase method that
 * has run longer than the handler timeout without a PDK call or a return, and a phase method never waits for a Kong
 * that abandoned the event longer than the abandon timeout.
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
    /** The request to answer with the next output; null while Kong has the event (or once answered for good). */
    private Reply reply;
    /** When the phase method last started running (the event began, or a result was delivered). */
    private long runningSinceNanos = startNanos;
    private Object input;
    private String inputError;
    private boolean hasInput;
    private String finishReason;
    private Thread handlerThread;

    Event(long id, Instance instance, ServedPlugin plugin, Phase phase, Object config, DispatcherSettings settings,
          java.util.function.Consumer<Event> onFinished, Reply reply) {
        this.onFinished = onFinished;
        this.reply = reply;
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
        Reply answer;
        lock.lock();
        try {
            if (state == State.FINISHED) {
                throw new PdkException(call.method() + " called after the event finished (" + finishReason + ")");
            }
            answer = reply;
            reply = null;
            if (call.terminal()) {
                state = State.FINISHED;
                finishReason = call.method() + " ended it";
            } else {
                state = State.AWAITING_RESULT;
            }
        } finally {
            lock.unlock();
        }
        if (call.terminal()) {
            onFinished.accept(this);
        }
        if (answer == null) { // cannot happen while RUNNING: the watchdog and cancel finish the event first
            throw new PdkException(call.method() + ": no request of Kong's to answer");
        }
        answer.send(new StepResult(id, call), null);
        if (call.terminal()) {
            return null;
        }
        return awaitInput(call);
    }

    /** Waits for Kong's result of {@code call}, delivered by whichever connection its step arrives on. */
    private Object awaitInput(PdkCall call) {
        lock.lock();
        try {
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
        Reply answer;
        lock.lock();
        try {
            if (state == State.FINISHED) {
                return;
            }
            state = State.FINISHED;
            finishReason = reason != null ? reason : "the phase method returned";
            answer = reply;
            reply = null;
        } finally {
            lock.unlock();
        }
        onFinished.accept(this);
        if (answer != null) {
            answer.send(new StepResult(id, data), null);
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
     * The watchdog's check (called periodically by the dispatcher): a phase method that has run longer than the
     * handler timeout without a PDK call or a return is interrupted, and the request waiting for it is answered as a
     * failed event (the plugin's failure policy).
     *
     * @param now {@link System#nanoTime()}
     */
    void checkHandlerTimeout(long now) {
        Reply answer;
        Object failure;
        lock.lock();
        try {
            if (state != State.RUNNING || reply == null
                    || now - runningSinceNanos < TimeUnit.MILLISECONDS.toNanos(settings.handlerTimeoutMillis())) {
                return;
            }
            answer = reply;
            reply = null;
            failure = timedOut();
        } finally {
            lock.unlock();
        }
        onFinished.accept(this);
        answer.send(new StepResult(id, failure), null);
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
     * Hands Kong's answer to the waiting phase method. Called on a connection thread, which goes back to its
     * connection at once: the phase method answers {@code next} itself.
     *
     * @param data the PDK result ({@code null} when Kong sent no Data)
     * @param error Kong's error text ({@code plugin.StepError}), or {@code null}
     * @param next where the event's next output goes
     * @throws RpcError when the event is not waiting for a result
     */
    void deliver(Object data, String error, Reply next) throws RpcError {
        lock.lock();
        try {
            if (state != State.AWAITING_RESULT || hasInput) {
                throw new RpcError("event " + id + " is not waiting for a PDK result ("
                        + (state == State.FINISHED ? "finished: " + finishReason : "running") + ")");
            }
            input = data;
            inputError = error;
            hasInput = true;
            reply = next;
            runningSinceNanos = System.nanoTime();
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
        Reply answer = null;
        Object failure = null;
        lock.lock();
        try {
            if (state != State.FINISHED) {
                if (state == State.RUNNING && reply != null) {
                    answer = reply; // Kong waits for this event on a connection: end it by the failure policy
                    reply = null;
                    failure = failureData();
                }
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
        if (answer != null) {
            answer.send(new StepResult(id, failure), null);
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
