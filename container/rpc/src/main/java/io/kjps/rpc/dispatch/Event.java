package io.kjps.rpc.dispatch;

import io.kjps.pdk.PdkException;
import io.kjps.rpc.codec.MsgpackValues;
import io.kjps.rpc.codec.PdkCall;
import io.kjps.rpc.codec.RpcRequest;
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
 * <p>The phase method runs on the thread that read the {@code HandleEvent} ({@link #run()}, called by the I/O layer),
 * or on a handler thread when the request came without a connection ({@link Dispatcher#dispatch(
 * io.kjps.rpc.codec.RpcRequest)}). Each PDK call it makes goes to Kong at once, written by that thread as the answer
 * to the request that resumed it (the {@code HandleEvent}, then each {@code plugin.Step}: its {@link Reply}). Kong's
 * answer arrives with the next {@code plugin.Step}: when the reply was a {@link Link} this thread holds, the thread
 * reads that connection for it itself (no other thread is woken: the common case); otherwise, or when something else
 * arrives there first, it waits for the step to be {@link #deliver delivered} from wherever it comes. The states:
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
    /** The connection the phase method's thread reads for its step, so that a delivery elsewhere can wake it. */
    private Link readingOn;
    /** What this event's thread answered last; once the event ends, the thread goes on serving it if held. */
    private Reply lastAnswered;
    /** The watchdog or a cancel answered for the running phase method and gave its connection to another thread. */
    private boolean connectionTaken;
    /** How the event ended and when; set, under the lock, by whatever made it FINISHED. */
    private EventEnd outcome;
    private long finishedNanos;
    private final EventRecorder.PluginRecorder recorder;
    private final long slowNanos;
    /** The PDK calls of this event, kept by the thread running the phase method ({@link #run()}). */
    private PdkTrace trace;
    private Thread traceThread;
    /** Whether Kong answered the PDK call being made (a result or an error); only the phase method's thread uses it. */
    private boolean callAnswered;

    Event(long id, Instance instance, ServedPlugin plugin, Phase phase, Object config, DispatcherSettings settings,
          java.util.function.Consumer<Event> onFinished, Reply reply, EventRecorder.PluginRecorder recorder,
          long slowNanos) {
        this.recorder = recorder;
        this.slowNanos = slowNanos;
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

    /**
     * Runs the phase method on the calling thread and answers Kong for it.
     *
     * @return the connection this thread answered last and still holds, for it to go on serving; {@code null} when
     *         it holds none (the event was answered for by the watchdog, or went on on another thread's connection)
     */
    public Link run() {
        lock.lock();
        try {
            handlerThread = Thread.currentThread();
        } finally {
            lock.unlock();
        }
        trace = PdkTrace.begin();
        traceThread = Thread.currentThread();
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
            finish(StepResult.RET, null, EventEnd.RET);
        } catch (Throwable t) {
            failed(t);
        } finally {
            long took;
            EventEnd ended;
            lock.lock();
            try {
                handlerThread = null;
                Thread.interrupted();
                took = finishedNanos - startNanos;
                ended = outcome;
            } finally {
                lock.unlock();
            }
            traceThread = null;
            if (ended != null && took >= slowNanos) {
                logSlow(took, ended);
            }
            trace.clear();
            trace = null;
        }
        Reply last = lastAnswered;
        lastAnswered = null;
        lock.lock();
        try {
            if (connectionTaken) {
                return null; // whatever this thread held, another thread serves now (or is about to)
            }
        } finally {
            lock.unlock();
        }
        return last instanceof Link link && link.held() ? link : null;
    }

    @Override
    public Object call(String method, Object... args) {
        return handOver(new PdkCall(method, args, false));
    }

    @Override
    public void callTerminal(String method, Object... args) {
        handOver(new PdkCall(method, args, true));
    }

    /** The slow-event log line: one WARNING with the PDK calls and their times (kjps.slow.event.ms). */
    private void logSlow(long took, EventEnd ended) {
        String calls = trace.describe();
        LOG.log(System.Logger.Level.WARNING, () -> "slow event: " + describe() + " took " + PdkTrace.millis(took)
                + " (over " + TimeUnit.NANOSECONDS.toMillis(slowNanos) + " ms), ended " + ended.label() + "; "
                + calls);
    }

    /**
     * Records a PDK call and its round trip, or {@link PdkTrace#TERMINAL} or {@link PdkTrace#NO_ANSWER}: only a call
     * Kong answered has a round trip for the metrics.
     */
    private void traced(String method, long roundTripNanos) {
        if (roundTripNanos >= 0) {
            recorder.pdkCall(method, roundTripNanos);
        }
        if (Thread.currentThread() == traceThread) { // not when a thread of the plugin's own calls the PDK
            trace.add(method, roundTripNanos);
        }
    }

    /** Marks the event finished; under the lock. */
    private void ended(EventEnd how) {
        state = State.FINISHED;
        outcome = how;
        finishedNanos = System.nanoTime();
    }

    /** Reports the end to the recorder; the dispatcher calls it once, when it drops the event from its table. */
    void record() {
        EventEnd how;
        long took;
        lock.lock();
        try {
            how = outcome;
            took = finishedNanos - startNanos;
        } finally {
            lock.unlock();
        }
        if (how != null) {
            recorder.eventEnded(phase, how, took);
        }
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
                ended(EventEnd.EXIT);
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
        lastAnswered = answer;
        long sent = System.nanoTime();
        answer.send(new StepResult(id, call), null);
        if (call.terminal()) {
            traced(call.method(), PdkTrace.TERMINAL);
            return null;
        }
        long deadline = sent + TimeUnit.MILLISECONDS.toNanos(settings.abandonTimeoutMillis());
        callAnswered = false;
        try {
            if (answer instanceof Link link && link.held()) {
                readOwnStep(link, deadline);
            }
            return awaitInput(call, deadline);
        } finally {
            traced(call.method(), callAnswered ? System.nanoTime() - sent : PdkTrace.NO_ANSWER);
        }
    }

    /**
     * The common case: reads the connection that carried the call for Kong's step, on this thread. Returns when the
     * step was read and delivered, a step arrived elsewhere (this connection then goes to a fresh thread), another
     * request arrived here (it goes, with the connection, to a fresh thread), the event ended, or the deadline
     * passed; {@link #awaitInput} then does the rest.
     */
    private void readOwnStep(Link link, long deadline) {
        RpcRequest next = null;
        boolean connectionLost = false;
        try {
            lock.lock();
            try {
                if (state != State.AWAITING_RESULT || hasInput) {
                    return; // the step came elsewhere already (or the event ended): let this connection go below
                }
                readingOn = link;
            } finally {
                lock.unlock();
            }
            while (true) {
                try {
                    next = link.next(deadline);
                } catch (java.io.InterruptedIOException e) {
                    next = null; // cancel() interrupts the phase method's thread; the state says what to do
                } catch (java.io.IOException e) {
                    connectionLost = true; // Kong closed it, or it failed: the step may still come elsewhere
                    LOG.log(System.Logger.Level.DEBUG, () -> describe() + ": its connection ended: " + e);
                    link.close();
                    return;
                }
                if (next == null) { // woken, or the deadline passed
                    lock.lock();
                    try {
                        if (hasInput || state == State.FINISHED || System.nanoTime() - deadline >= 0) {
                            return;
                        }
                    } finally {
                        lock.unlock();
                    }
                    continue;
                }
                Object data = Dispatcher.stepOf(next, id);
                if (data != Dispatcher.NOT_A_STEP) {
                    lock.lock();
                    try {
                        if (state == State.AWAITING_RESULT && !hasInput) {
                            accept(data, next.method(), link);
                            next = null;
                            return;
                        }
                    } finally {
                        lock.unlock();
                    }
                }
                return; // another request: answered by a fresh thread, below
            }
        } finally {
            boolean giveAway;
            lock.lock();
            try {
                readingOn = null;
                giveAway = !connectionLost && reply != link; // the step came elsewhere, or did not come
            } finally {
                lock.unlock();
            }
            if (giveAway && (next != null || hasInputElsewhere(link))) {
                link.handOff(next);
            }
        }
    }

    /** Whether a step was delivered on another connection than {@code own}; then {@code own} is let go. */
    private boolean hasInputElsewhere(Link own) {
        lock.lock();
        try {
            return hasInput && reply != own;
        } finally {
            lock.unlock();
        }
    }

    /** Takes Kong's result; under the lock. */
    private void accept(Object data, String stepMethod, Reply next) {
        if (Dispatcher.isStepError(stepMethod)) {
            input = null;
            inputError = data == null ? "unknown error" : String.valueOf(data);
        } else {
            input = data;
            inputError = null;
        }
        hasInput = true;
        reply = next;
        runningSinceNanos = System.nanoTime();
        state = State.RUNNING;
        changed.signalAll();
    }

    /** Waits for Kong's result of {@code call}, delivered by whichever connection its step arrives on. */
    private Object awaitInput(PdkCall call, long deadline) {
        Reply resumedBy;
        lock.lock();
        try {
            while (!hasInput && state != State.FINISHED) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    ended(EventEnd.ABANDONED);
                    finishReason = "Kong sent no result for " + call.method() + " within "
                            + settings.abandonTimeoutMillis() + " ms: abandoned";
                    onFinished.accept(this);
                    throw new PdkException(finishReason);
                }
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PdkException(call.method() + " interrupted: " + finishReasonOr("server stopping"), e);
                }
            }
            if (!hasInput) {
                throw new PdkException(call.method() + " has no result: " + finishReason);
            }
            hasInput = false;
            callAnswered = true;
            resumedBy = reply;
        } finally {
            lock.unlock();
        }
        if (resumedBy instanceof Link link && !link.held()) {
            link.take(); // the step came on another connection: this thread holds it now
        }
        lock.lock();
        try {
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

    private void finish(Object data, String reason, EventEnd how) {
        Reply answer;
        lock.lock();
        try {
            if (state == State.FINISHED) {
                return;
            }
            ended(how);
            finishReason = reason != null ? reason : "the phase method returned";
            answer = reply;
            reply = null;
        } finally {
            lock.unlock();
        }
        onFinished.accept(this);
        if (answer != null) {
            lastAnswered = answer;
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
        finish(failureData(), "the phase method threw " + t, EventEnd.ERROR);
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
            connectionTaken = answer instanceof Link;
            failure = timedOut();
        } finally {
            lock.unlock();
        }
        onFinished.accept(this);
        answer.send(new StepResult(id, failure), null);
        if (answer instanceof Link link) {
            link.handOff(null); // the phase method's thread is stuck in plugin code: another serves the connection
        }
    }

    private Object timedOut() {
        ended(EventEnd.TIMEOUT);
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
     * Hands Kong's answer, which came on another connection than the phase method's thread reads (or without one),
     * to the waiting phase method. With a {@link Link}, the connection goes with it: the caller stops serving it, and
     * the phase method's thread answers on it and reads it from then on.
     *
     * @param data the PDK result ({@code null} when Kong sent no Data)
     * @param error Kong's error text ({@code plugin.StepError}), or {@code null}
     * @param next where the event's next output goes
     * @throws RpcError when the event is not waiting for a result
     */
    void deliver(Object data, String error, Reply next) throws RpcError {
        Link wake;
        lock.lock();
        try {
            if (state != State.AWAITING_RESULT || hasInput) {
                throw new RpcError("event " + id + " is not waiting for a PDK result ("
                        + (state == State.FINISHED ? "finished: " + finishReason : "running") + ")");
            }
            accept(error != null ? error : data, error != null ? "plugin.StepError" : "plugin.Step", next);
            wake = readingOn;
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            wake.wake(); // the phase method's thread reads its own connection: it lets that one go and takes this
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
                    connectionTaken = answer instanceof Link;
                    failure = failureData();
                }
                ended(EventEnd.FAILED);
                finishReason = reason;
                changed.signalAll();
                if (readingOn != null) {
                    readingOn.wake();
                }
            }
            if (handlerThread != null) {
                handlerThread.interrupt();
            }
        } finally {
            lock.unlock();
        }
        if (answer != null) {
            answer.send(new StepResult(id, failure), null);
            if (answer instanceof Link link) {
                link.handOff(null); // as the watchdog does: the phase method's thread may never come back
            }
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
