package io.kjps.socket.internal;

import io.kjps.plugin.KongPhaseHandler;
import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.dispatch.HandlerThreads;
import io.kjps.rpc.dispatch.PluginRegistry;
import io.kjps.rpc.dispatch.ServedPlugin;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * {@code kjps.socket.failed=<reason>} instead.
 */
@Component(immediate = true)
public final class PluginSocketComponent {
    private static final System.Logger LOG = System.getLogger(PluginSocketComponent.class.getName());

    private final PluginRegistry registry = new PluginRegistry();
    private final Map<ServiceReference<?>, ServedPlugin> served = new ConcurrentHashMap<>();
    private ExecutorService handlerThreads;
    private ScheduledExecutorService housekeeping;
    private Dispatcher dispatcher;
    private SocketServer server;
    private ServiceRegistration<AutoCloseable> status;

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
            LOG.log(System.Logger.Level.ERROR, "refused plugin: " + e.getMessage());
            return;
        }
        ServedPlugin previous = registry.get(plugin.name());
        String refusal = registry.register(plugin, ref.getBundle().getBundleId());
        if (refusal != null) {
            LOG.log(System.Logger.Level.ERROR, "refused " + plugin + ": " + refusal);
            return;
        }
        served.put(ref, plugin);
        LOG.log(System.Logger.Level.INFO, (previous == null ? "serving " : "updated to ") + plugin
                + " phases " + phaseList(plugin) + " priority " + plugin.descriptor().priority());
    }

    /**
     * Stops serving a handler that went away.
     *
     * @param handler the service
     * @param ref its reference
     */
    void removeHandler(KongPhaseHandler<?> handler, ServiceReference<KongPhaseHandler<?>> ref) {
        ServedPlugin plugin = served.remove(ref);
        if (plugin != null && registry.unregister(plugin)) {
            LOG.log(System.Logger.Level.INFO, "no longer serving " + plugin);
        }
    }

    private static String phaseList(ServedPlugin plugin) {
        StringBuilder sb = new StringBuilder();
        plugin.descriptor().phases().forEach(p -> sb.append(sb.length() == 0 ? "" : ",").append(p.kongName()));
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
        server = new SocketServer(new io.kjps.socket.internal.transport.JunixsocketProvider(), settings, dispatcher);
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
        housekeeping.scheduleWithFixedDelay(() -> {
            int n = dispatcher.expireInstances(idle);
            if (n > 0) {
                LOG.log(System.Logger.Level.INFO, "dropped " + n + " instances unused for " + idle + " ms");
            }
        }, 60, 60, TimeUnit.SECONDS);
        LOG.log(System.Logger.Level.INFO, "listening on " + settings.socket() + " (MsgPack:1, "
                + (HandlerThreads.virtualThreadsAvailable() ? "virtual threads" : "platform threads") + ")");
        status = register(context, "kjps.socket.ready", settings.socket().toString());
    }

    private static ServiceRegistration<AutoCloseable> register(BundleContext context, String key, String value) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(key, value);
        return context.registerService(AutoCloseable.class, () -> { }, props);
    }

    @Deactivate
    void deactivate() {
        if (status != null) {
            try {
                status.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
            status = null;
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
        LOG.log(System.Logger.Level.INFO, "stopped serving Kong");
    }

    /** @return the dispatcher, for the shell's commands */
    Dispatcher dispatcher() {
        return dispatcher;
    }
}
