package io.kjps.shell.internal;

import io.kjps.listener.SocketConditions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.condition.Condition;

/**
 * Serves the Gogo shell on the admin socket while Kong runs the server with no terminal.
 *
 * <p>The socket is the framework (or system) property {@code kjps.admin.socket}, by default
 * {@code <kjps.socket>.admin} next to Kong's socket. Its file mode is 0600: only the user running the server may
 * use it. There is no TCP endpoint. It opens once the socket bundle listens on Kong's socket. The socket file is replaced at start and left at stop, like Kong's socket:
 * during {@code kong reload} the new server may already own the path.
 */
@Component(immediate = true)
public final class AdminShellComponent {
    /** The property naming the admin socket. */
    static final String ADMIN_SOCKET = "kjps.admin.socket";

    private static final System.Logger LOG = System.getLogger(AdminShellComponent.class.getName());

    @Reference
    private CommandProcessor processor;

    /**
     * The socket bundle's report that it listens on Kong's socket: the admin socket opens only then, so a second
     * server refused on a live socket never takes the first server's admin socket.
     */
    @Reference(target = "(" + Condition.CONDITION_ID + "=" + SocketConditions.READY + ")")
    private Condition socketReady;

    private AdminServer server;
    private ServiceRegistration<Converter> converter;

    @Activate
    void activate(BundleContext context) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Converter.CONVERTER_CLASSES, Bundle.class.getName());
        converter = context.registerService(Converter.class, new BundleConverter(context), props);
        Path path = adminSocket(context.getProperty(ADMIN_SOCKET), context.getProperty("kjps.socket"));
        if (path == null) {
            LOG.log(System.Logger.Level.WARNING, "no admin shell: neither " + ADMIN_SOCKET + " nor kjps.socket is set");
            return;
        }
        AdminServer s = new AdminServer(path, processor);
        try {
            s.start();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "no admin shell: cannot listen on " + path + ": " + e);
            return;
        }
        server = s;
        LOG.log(System.Logger.Level.INFO, "admin shell on " + path
                + " (mode 0600; attach with bin/kong-java-pluginserver shell)");
    }

    @Deactivate
    void deactivate() {
        if (converter != null) {
            try {
                converter.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
            converter = null;
        }
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /**
     * @param explicit {@code kjps.admin.socket}, or {@code null}
     * @param kongSocket {@code kjps.socket}, or {@code null}
     * @return the admin socket path, or {@code null} when neither is set
     */
    static Path adminSocket(String explicit, String kongSocket) {
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit.trim()).toAbsolutePath();
        }
        if (kongSocket != null && !kongSocket.isBlank()) {
            return Path.of(kongSocket.trim() + ".admin").toAbsolutePath();
        }
        return null;
    }
}
