package io.kjps.socket.internal;

import io.kjps.listener.SocketConditions;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.server.HandlerThreads;
import io.kjps.rpc.dispatch.ServedPlugin;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.condition.Condition;

/**
 * The socket bundle's component: serves Kong's protocol on the socket named by the framework property
 * {@code kjps.socket} and routes every call to the {@link KongPhaseHandler} services registered at that moment.
 *
 * <p>Handlers come and go dynamically (bundle install, update, uninstall): each registration becomes a
 * {@link ServedPlugin} revision, and {@link PluginRevisions} alone decides what is live; events already running keep
 * their revision.
 *
 * <p>When listening, it registers the OSGi condition {@link SocketConditions#READY} with the socket's path, which the
 * launcher and the admin shell wait for; when it cannot bind, the condition {@link SocketConditions#FAILED} with the
 * reason instead. It also registers the shell's {@code kong:*} commands ({@link KongCommands}).
 *
 * <p>A handler that cannot be served (no or bad descriptor, a version Kong rejects, a name another bundle serves)
 * is refused with an ERROR log line and a notice for the shell; the revision served before keeps serving. An update
 * that changes what Kong read at its start (name, priority, phases, schema) is served, with a WARNING and a notice
 * saying what changed and that Kong needs {@code kong reload}.
 */
@Component(immediate = true, configurationPid = LiveSettings.PID)
public final class PluginSocketComponent {
    private static final System.Logger LOG = System.getLogger(PluginSocketComponent.class.getName());

    /** Made before activation: DS binds the handlers first. */
    private final PluginRevisions revisions = new PluginRevisions(System::nanoTime);
    private final PluginNotices notices = new PluginNotices();
    private ServiceRegistration<?> commands;
    private UpdateGuard updateGuard;
    private DeployGuard deployGuard;
    private PluginExpectations expectations;
    private ExecutorService handlerThreads;
    private volatile ScheduledExecutorService housekeeping;
    private java.util.concurrent.ScheduledFuture<?> sweep;
    private volatile BundleContext context;
    private io.kjps.rpc.dispatch.EventRecorder recorder = io.kjps.rpc.dispatch.EventRecorder.NONE;
    private volatile Dispatcher dispatcher;
    private SocketServer server;
    private ServiceRegistration<Condition> status;
    /** Made before activation: refusals can come while DS binds the handlers. */
    private final Metrics metrics = new Metrics();
    private MetricsSettings metricsSettings;
    private io.prometheus.metrics.exporter.httpserver.HTTPServer metricsHttp;
    private MetricsUnixEndpoint metricsUnix;

    /**
     * Serves a newly registered handler.
     *
     * @param handler the service
     * @param ref its reference
     */
    @Reference(service = KongPhaseHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeHandler")
    void addHandler(KongPhaseHandler<?> handler, ServiceReference<KongPhaseHandler<?>> ref) {
        Bundle bundle = ref.getBundle();
        long bundleId = bundle == null ? -1 : bundle.getBundleId();
        ServedPlugin plugin;
        try {
            plugin = BundlePlugins.toServed(ref, handler);
        } catch (IllegalArgumentException e) {
            refuse("refused plugin: " + e.getMessage(), bundle);
            revisions.refused(bundleId, e.getMessage());
            return;
        }
        PluginRevisions.Served s = revisions.handlerAdded(ref, bundleId, plugin);
        if (s.refusal() != null) {
            refuse("refused " + plugin + ": " + s.refusal() + "; " + s.serving() + " keeps serving", bundle);
            revisions.refused(bundleId, s.refusal());
            return;
        }
        LOG.log(System.Logger.Level.INFO, (s.updated() ? "updated to " : "serving ") + plugin
                + " phases " + phaseList(plugin) + " priority " + plugin.descriptor().priority());
        if (!s.changes().isEmpty()) {
            String text = "update of " + plugin + " changed what Kong reads at its start: "
                    + String.join("; ", s.changes()) + ". Kong still uses the old metadata: run `kong reload`";
            LOG.log(System.Logger.Level.WARNING, text);
            notices.add(text);
        }
    }

    private void refuse(String text, Bundle bundle) {
        LOG.log(System.Logger.Level.ERROR, text);
        notices.add(text);
        if (bundle != null) {
            metrics.bundleRefused(bundle.getSymbolicName());
        }
    }

    /**
     * Stops serving a handler that went away.
     *
     * @param handler the service
     * @param ref its reference
     */
    void removeHandler(KongPhaseHandler<?> handler, ServiceReference<KongPhaseHandler<?>> ref) {
        ServedPlugin plugin = revisions.handlerRemoved(ref);
        if (plugin != null) {
            LOG.log(System.Logger.Level.INFO, "no longer serving " + plugin);
        }
    }

    private static String phaseList(ServedPlugin plugin) {
        StringBuilder sb = new StringBuilder();
        plugin.descriptor().phases().forEach(p -> sb.append(sb.length() == 0 ? "" : ",").append(p));
        return sb.toString();
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> config) {
        this.context = context;
        Function<String, String> property = settingsOf(config);
        SocketSettings settings;
        try {
            settings = startSettings(property, context);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage());
            status = condition(context, SocketConditions.FAILED, SocketConditions.REASON, e.getMessage());
            return;
        }
        // one pool: a connection's thread runs the events that come on it (no hand-off, RpcConnection), so the
        // dispatcher's own pool would only serve callers without a connection, which the socket never has
        handlerThreads = HandlerThreads.create("kong-connection-", settings.handlerThreads());
        dispatcher = new Dispatcher(revisions.registry(), handlerThreads, settings.dispatcher());
        metricsSettings = metricsSettings(property);
        recorder = metricsSettings.enabled() ? metrics : io.kjps.rpc.dispatch.EventRecorder.NONE;
        dispatcher.observe(recorder, metricsSettings.slowEventMillis());
        server = new SocketServer(settings, dispatcher, handlerThreads);
        try {
            server.start();
        } catch (Exception | LinkageError e) {
            String reason = "cannot listen on " + settings.socket() + ": " + e.getMessage();
            LOG.log(System.Logger.Level.ERROR, reason);
            server = null;
            handlerThreads.shutdownNow();
            status = condition(context, SocketConditions.FAILED, SocketConditions.REASON, reason);
            return;
        }
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kong-socket-housekeeping");
            t.setDaemon(true);
            return t;
        });
        sweepInstances(settings.instanceIdleMillis());
        LOG.log(System.Logger.Level.INFO, "listening on " + settings.socket() + " (MsgPack:1)");
        SocketServer listening = server;
        metrics.watch(dispatcher, listening::openConnections, listening::acceptedConnections);
        startMetricsHttp();
        status = condition(context, SocketConditions.READY, SocketConditions.SOCKET, settings.socket().toString());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", "kong");
        props.put("osgi.command.function", KongCommands.FUNCTIONS);
        String deploy = context.getProperty("kjps.deploy");
        deployGuard = deploy == null ? null
                : new DeployGuard(context, java.nio.file.Path.of(deploy), notices);
        updateGuard = new UpdateGuard(context, revisions,
                new LastGoodRevisions(context.getDataFile("revisions").toPath()), deployGuard, notices, metrics);
        updateGuard.start(settings.updateConfirmMillis());
        // until now every name was worth waiting for (the plugins start after this bundle); from now on only those
        // about to be served are
        expectations = new PluginExpectations(context, revisions, deployGuard,
                settings.dispatcher().pluginWaitMillis());
        revisions.registry().expectWith(expectations);
        commands = context.registerService(Object.class.getName(),
                new KongCommands(dispatcher, revisions::bundleOf, notices, context::getProperty, context::getBundle,
                        revisions, server::openConnections, this::metricsText), props);
    }

    /**
     * Applies a change of the configuration {@value LiveSettings#PID} without a restart: the settings that may change
     * while serving ({@link LiveSettings}) take effect for what starts afterwards; a bad value leaves every setting
     * as it was.
     *
     * @param config the configuration's properties now
     */
    @Modified
    void modified(Map<String, Object> config) {
        Dispatcher d = dispatcher;
        if (d == null || housekeeping == null) {
            return; // not serving: nothing to change
        }
        Function<String, String> property = settingsOf(config);
        SocketSettings settings;
        long slow;
        try {
            settings = SocketSettings.from(property);
            slow = MetricsSettings.from(k -> k.equals("kjps.slow.event.ms") ? property.apply(k) : null)
                    .slowEventMillis();
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, "configuration " + LiveSettings.PID + " not applied, the settings stay"
                    + " as they were: " + e.getMessage());
            return;
        }
        d.update(settings.dispatcher());
        d.observe(recorder, slow);
        sweepInstances(settings.instanceIdleMillis());
        LOG.log(System.Logger.Level.INFO, "configuration " + LiveSettings.PID + " applied without restart: "
                + (LiveSettings.set(config).isEmpty() ? "none set, framework properties and defaults"
                : String.join(", ", LiveSettings.set(config))));
    }

    /**
     * @return the settings at start; a bad value in the configuration is logged and the configuration left out, never
     *     a reason not to serve Kong
     * @throws IllegalArgumentException for a bad framework property
     */
    private static SocketSettings startSettings(Function<String, String> property, BundleContext context) {
        try {
            return SocketSettings.from(property);
        } catch (IllegalArgumentException e) {
            SocketSettings settings = SocketSettings.from(context::getProperty);
            LOG.log(System.Logger.Level.ERROR, "configuration " + LiveSettings.PID + " not applied: "
                    + e.getMessage());
            return settings;
        }
    }

    /** @return reads a setting: the configuration's value of a live key, else the framework property */
    private Function<String, String> settingsOf(Map<String, Object> config) {
        List<String> ignored = LiveSettings.ignored(config);
        if (!ignored.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "configuration " + LiveSettings.PID + ": " + String.join(", ", ignored)
                    + " ignored, read only at start from the framework properties (etc/java or the launcher's flags)");
        }
        BundleContext c = context;
        return LiveSettings.layered(config, c::getProperty);
    }

    /** (Re)schedules the sweep of idle instances: every minute, sooner for short idle times. */
    private synchronized void sweepInstances(long idle) {
        if (sweep != null) {
            sweep.cancel(false);
        }
        long every = Math.max(100, Math.min(60_000, idle / 2));
        Dispatcher d = dispatcher;
        sweep = housekeeping.scheduleWithFixedDelay(() -> {
            int n = d.expireInstances(idle);
            if (n > 0) {
                LOG.log(System.Logger.Level.INFO, "dropped " + n + " instances unused for " + idle + " ms");
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** The metrics' settings; a bad one is logged and left out, never a reason not to serve Kong. */
    private static MetricsSettings metricsSettings(Function<String, String> property) {
        try {
            return MetricsSettings.from(property);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage());
        }
        try {
            return MetricsSettings.from(k -> k.startsWith("kjps.metrics.http") ? null : property.apply(k));
        } catch (IllegalArgumentException e) {
            return MetricsSettings.from(k -> k.equals("kjps.metrics") ? property.apply(k) : null);
        }
    }

    private String metricsText() {
        MetricsSettings ms = metricsSettings;
        if (ms != null && !ms.enabled()) {
            return "# metrics are off (kjps.metrics=false)\n";
        }
        return metrics.text();
    }

    /** Serves GET /metrics on the address or unix socket of kjps.metrics.http, when set (never by default). */
    private void startMetricsHttp() {
        MetricsSettings ms = metricsSettings;
        if (ms.httpHost() == null && ms.httpSocket() == null) {
            return;
        }
        if (!ms.enabled()) {
            LOG.log(System.Logger.Level.WARNING, "kjps.metrics.http is set but kjps.metrics=false: no endpoint");
            return;
        }
        if (ms.httpSocket() != null) {
            try {
                metricsUnix = MetricsUnixEndpoint.start(ms.httpSocket(),
                        () -> metrics.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                LOG.log(System.Logger.Level.INFO, "metrics on unix socket " + ms.httpSocket()
                        + " (GET /metrics, mode rw-------)");
            } catch (java.io.IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot serve metrics on unix socket " + ms.httpSocket()
                        + " (kjps.metrics.http): " + e.getMessage());
            }
            return;
        }
        try {
            metricsHttp = io.prometheus.metrics.exporter.httpserver.HTTPServer.builder().hostname(ms.httpHost())
                    .port(ms.httpPort()).registry(metrics.registry()).buildAndStart();
            LOG.log(System.Logger.Level.INFO, "metrics on http://" + hostForUrl(ms.httpHost()) + ":"
                    + metricsHttp.getPort() + "/metrics");
        } catch (java.io.IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot serve metrics on " + ms.httpHost() + ":" + ms.httpPort()
                    + " (kjps.metrics.http): " + e);
        }
    }

    private static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    private static ServiceRegistration<Condition> condition(BundleContext context, String id, String key,
                                                            String value) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Condition.CONDITION_ID, id);
        props.put(key, value);
        return context.registerService(Condition.class, Condition.INSTANCE, props);
    }

    @Deactivate
    void deactivate() {
        if (expectations != null) {
            revisions.registry().expectWith(name -> false);
            expectations = null;
        }
        if (updateGuard != null) {
            updateGuard.stop();
            updateGuard = null;
        }
        if (deployGuard != null) {
            deployGuard.stop(); // after the update guard, which tells it of uninstalled bundles
            deployGuard = null;
        }
        if (commands != null) {
            try {
                commands.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
            commands = null;
        }
        if (status != null) {
            try {
                status.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
            status = null;
        }
        if (metricsHttp != null) {
            metricsHttp.close();
            metricsHttp = null;
        }
        if (metricsUnix != null) {
            metricsUnix.close();
            metricsUnix = null;
        }
        if (server != null) {
            server.stop();
            server = null;
        }
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        if (handlerThreads != null) {
            handlerThreads.shutdownNow();
        }
        if (dispatcher != null) {
            dispatcher.close();
        }
        LOG.log(System.Logger.Level.INFO, "stopped serving Kong");
    }

    /** @return the dispatcher, for the shell's commands */
    Dispatcher dispatcher() {
        return dispatcher;
    }
}
