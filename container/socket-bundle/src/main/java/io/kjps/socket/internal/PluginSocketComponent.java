package io.kjps.socket.internal;

import io.kjps.plugin.KongPhaseHandler;
import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.server.HandlerThreads;
import io.kjps.rpc.dispatch.PluginRegistry;
import io.kjps.rpc.dispatch.ServedPlugin;
import io.kjps.model.PluginDescriptor;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The socket bundle's component: serves Kong's protocol on the socket named by the framework property
 * {@code kjps.socket} and routes every call to the {@link KongPhaseHandler} services registered at that moment.
 *
 * <p>Handlers come and go dynamically (bundle install, update, uninstall): each registration becomes a
 * {@link ServedPlugin} revision in the {@link PluginRegistry}; events already running keep their revision.
 *
 * <p>When listening, it registers an {@code AutoCloseable} service with the property
 * {@code kjps.socket.ready=<path>}, which the launcher waits for; when it cannot bind, the property
 * {@code kjps.socket.failed=<reason>} instead. It also registers the shell's {@code kong:*} commands
 * ({@link KongCommands}).
 *
 * <p>A handler that cannot be served (no or bad descriptor, a version Kong rejects, a name another bundle serves)
 * is refused with an ERROR log line and a notice for the shell; the revision served before keeps serving. An update
 * that changes what Kong read at its start (name, priority, phases, schema) is served, with a WARNING and a notice
 * saying what changed and that Kong needs {@code kong reload}.
 */
@Component(immediate = true)
public final class PluginSocketComponent {
    private static final System.Logger LOG = System.getLogger(PluginSocketComponent.class.getName());

    private final PluginRegistry registry = new PluginRegistry();
    private final Map<ServiceReference<?>, ServedPlugin> served = new ConcurrentHashMap<>();
    private final Map<ServedPlugin, Long> bundles = new ConcurrentHashMap<>();
    private final Map<String, PluginDescriptor> lastServed = new ConcurrentHashMap<>();
    private final Map<Long, String> lastNameOfBundle = new ConcurrentHashMap<>();
    private final PluginNotices notices = new PluginNotices();
    private ServiceRegistration<?> commands;
    private volatile UpdateGuard updateGuard;
    private PluginExpectations expectations;
    private ExecutorService handlerThreads;
    private ScheduledExecutorService housekeeping;
    private Dispatcher dispatcher;
    private SocketServer server;
    private ServiceRegistration<AutoCloseable> status;
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
        ServedPlugin plugin;
        try {
            plugin = BundlePlugins.toServed(ref, handler);
        } catch (IllegalArgumentException e) {
            refuse("refused plugin: " + e.getMessage());
            refused(ref, e.getMessage());
            return;
        }
        long bundleId = ref.getBundle() == null ? -1 : ref.getBundle().getBundleId();
        ServedPlugin previous = registry.get(plugin.name());
        String refusal = registry.register(plugin, bundleId);
        if (refusal != null) {
            refuse("refused " + plugin + ": " + refusal + "; " + registry.get(plugin.name()) + " keeps serving");
            refused(ref, refusal);
            return;
        }
        served.put(ref, plugin);
        UpdateGuard guard = updateGuard;
        if (guard != null && ref.getBundle() != null) {
            guard.served(ref.getBundle(), plugin.name());
        }
        bundles.put(plugin, bundleId);
        PluginDescriptor before = previous != null ? previous.descriptor() : lastServed.get(plugin.name());
        LOG.log(System.Logger.Level.INFO, (before == null ? "serving " : "updated to ") + plugin
                + " phases " + phaseList(plugin) + " priority " + plugin.descriptor().priority());
        List<String> changes = new ArrayList<>();
        String formerName = lastNameOfBundle.put(bundleId, plugin.name());
        if (formerName != null && !formerName.equals(plugin.name()) && registry.get(formerName) == null) {
            changes.add("name " + formerName + " -> " + plugin.name() + " (" + formerName
                    + " is no longer served: its instances get errors until Kong drops it)");
        }
        if (before != null) {
            changes.addAll(MetadataChanges.between(before, plugin.descriptor()));
        }
        lastServed.put(plugin.name(), plugin.descriptor());
        if (!changes.isEmpty()) {
            String text = "update of " + plugin + " changed what Kong reads at its start: "
                    + String.join("; ", changes) + ". Kong still uses the old metadata: run `kong reload`";
            LOG.log(System.Logger.Level.WARNING, text);
            notices.add(text);
        }
    }

    private void refused(ServiceReference<?> ref, String reason) {
        Bundle bundle = ref.getBundle();
        if (bundle != null) {
            metrics.bundleRefused(bundle.getSymbolicName());
        }
        UpdateGuard guard = updateGuard;
        if (guard != null) {
            guard.refused(ref.getBundle(), reason);
        }
    }

    private void refuse(String text) {
        LOG.log(System.Logger.Level.ERROR, text);
        notices.add(text);
    }

    /**
     * Stops serving a handler that went away.
     *
     * @param handler the service
     * @param ref its reference
     */
    void removeHandler(KongPhaseHandler<?> handler, ServiceReference<KongPhaseHandler<?>> ref) {
        ServedPlugin plugin = served.remove(ref);
        if (plugin != null) {
            bundles.remove(plugin);
        }
        if (plugin != null && registry.unregister(plugin)) {
            LOG.log(System.Logger.Level.INFO, "no longer serving " + plugin);
        }
    }

    private static String phaseList(ServedPlugin plugin) {
        StringBuilder sb = new StringBuilder();
        plugin.descriptor().phases().forEach(p -> sb.append(sb.length() == 0 ? "" : ",").append(p));
        return sb.toString();
    }

    @Activate
    void activate(BundleContext context) {
        SocketSettings settings;
        try {
            settings = SocketSettings.from(context::getProperty);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage());
            status = register(context, "kjps.socket.failed", e.getMessage());
            return;
        }
        handlerThreads = HandlerThreads.create("kong-event-", 4096);
        dispatcher = new Dispatcher(registry, handlerThreads, settings.dispatcher());
        metricsSettings = metricsSettings(context);
        dispatcher.observe(metricsSettings.enabled() ? metrics : io.kjps.rpc.dispatch.EventRecorder.NONE,
                metricsSettings.slowEventMillis());
        server = new SocketServer(settings, dispatcher);
        try {
            server.start();
        } catch (Exception | LinkageError e) {
            String reason = "cannot listen on " + settings.socket() + ": " + e.getMessage();
            LOG.log(System.Logger.Level.ERROR, reason);
            server = null;
            handlerThreads.shutdownNow();
            status = register(context, "kjps.socket.failed", reason);
            return;
        }
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kong-socket-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long idle = settings.instanceIdleMillis();
        long sweep = Math.max(100, Math.min(60_000, idle / 2)); // every minute, sooner for short idle times
        housekeeping.scheduleWithFixedDelay(() -> {
            int n = dispatcher.expireInstances(idle);
            if (n > 0) {
                LOG.log(System.Logger.Level.INFO, "dropped " + n + " instances unused for " + idle + " ms");
            }
        }, sweep, sweep, TimeUnit.MILLISECONDS);
        LOG.log(System.Logger.Level.INFO, "listening on " + settings.socket() + " (MsgPack:1)");
        SocketServer listening = server;
        metrics.watch(dispatcher, listening::openConnections, listening::acceptedConnections);
        startMetricsHttp();
        status = register(context, "kjps.socket.ready", settings.socket().toString());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", "kong");
        props.put("osgi.command.function", KongCommands.FUNCTIONS);
        String deploy = context.getProperty("kjps.deploy");
        DeployGuard deployGuard = deploy == null ? null
                : new DeployGuard(context, java.nio.file.Path.of(deploy), notices);
        UpdateGuard guard = new UpdateGuard(context, new LastGoodRevisions(context.getDataFile("revisions").toPath()),
                deployGuard, notices, settings.updateConfirmMillis(), metrics);
        guard.start();
        updateGuard = guard;
        // until now every name was worth waiting for (the plugins start after this bundle); from now on only those
        // about to be served are
        expectations = new PluginExpectations(context, guard, deployGuard, settings.dispatcher().pluginWaitMillis());
        expectations.start();
        registry.expectWith(expectations);
        // handlers bound before activation were served without the guard knowing; tell it now (it is idempotent)
        served.forEach((ref, plugin) -> {
            Bundle b = ref.getBundle();
            if (b != null) {
                guard.served(b, plugin.name());
            }
        });
        commands = context.registerService(Object.class.getName(),
                new KongCommands(dispatcher, bundles::get, notices, context::getProperty, context::getBundle, guard,
                        server::openConnections, this::metricsText), props);
    }

    /** The metrics' settings; a bad one is logged and left out, never a reason not to serve Kong. */
    private static MetricsSettings metricsSettings(BundleContext context) {
        try {
            return MetricsSettings.from(context::getProperty);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage());
        }
        try {
            return MetricsSettings.from(k -> k.startsWith("kjps.metrics.http") ? null : context.getProperty(k));
        } catch (IllegalArgumentException e) {
            return MetricsSettings.from(k -> k.equals("kjps.metrics") ? context.getProperty(k) : null);
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

    private static ServiceRegistration<AutoCloseable> register(BundleContext context, String key, String value) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(key, value);
        return context.registerService(AutoCloseable.class, () -> { }, props);
    }

    @Deactivate
    void deactivate() {
        if (expectations != null) {
            expectations.stop();
            registry.expectWith(name -> false);
            expectations = null;
        }
        UpdateGuard guard = updateGuard;
        if (guard != null) {
            updateGuard = null;
            guard.stop();
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
