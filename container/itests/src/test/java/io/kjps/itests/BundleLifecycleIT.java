package io.kjps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Plugin bundles come and go while Kong runs: a stopped plugin fails its events with an error naming it (after
 * waiting {@code kjps.plugin.wait.ms} for it to come back), a restarted one serves the instances Kong already has,
 * and an updated one is served again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundleLifecycleIT {
    /** How long the server waits for a missing plugin, in this framework. */
    private static final long PLUGIN_WAIT_MS = 500;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return Distribution.options(Map.of("kjps.plugin.wait.ms", Long.toString(PLUGIN_WAIT_MS)));
    }

    @Test
    public void stoppedPluginFailsByNameAndARestartServesTheSameInstance() throws Exception {
        Path socket = SocketIT.awaitReadySocket(context);
        Bundle hello = PluginServicesIT.awaitHandlers(context).get("hello").getBundle();
        try (KongRpc kong = KongRpc.connect(socket);
             ServiceWatch helloService = new ServiceWatch(context, handler("hello"))) {
            long instance = kong.startInstance("hello", SocketIT.HELLO_CONFIG);
            SocketIT.assertHelloAccess(kong, kong, instance, "Ann", "yo");

            hello.stop();
            helloService.awaitNone("the hello service leaves when its bundle stops");
            long start = System.nanoTime();
            KongRpc.Response r = kong.call("plugin.HandleEvent", Map.of("InstanceId", instance, "EventName", "access"));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals("plugin.HandleEvent: plugin hello of instance " + instance + " is not deployed", r.error());
            assertNull(r.result());
            assertTrue("the server waits kjps.plugin.wait.ms=" + PLUGIN_WAIT_MS + " for the plugin first; answered after "
                    + waitedMs + " ms", waitedMs >= PLUGIN_WAIT_MS);
            Set<String> others = new TreeSet<>(PluginServicesIT.PRIORITIES.keySet());
            others.remove("hello");
            assertEquals("plugin.StartInstance: no plugin named hello is deployed (serving " + others + ")",
                    kong.call("plugin.StartInstance", Map.of("Name", "hello", "Config", SocketIT.HELLO_CONFIG)).error());

            hello.start();
            helloService.awaitAny("the hello service is back when its bundle starts");
            // Kong sees nothing: the instance it started before is served again, config and all
            SocketIT.assertHelloAccess(kong, kong, instance, "Bob", "yo");
        } finally {
            if (hello.getState() != Bundle.ACTIVE) {
                hello.start();
            }
        }
    }

    @Test
    public void updatedPluginBundleIsServedAgain() throws Exception {
        Path socket = SocketIT.awaitReadySocket(context);
        ServiceReference<?> before = PluginServicesIT.awaitHandlers(context).get("block");
        Bundle block = before.getBundle();
        long serviceBefore = (Long) before.getProperty(Constants.SERVICE_ID);
        BundleRevision revisionBefore = block.adapt(BundleRevision.class);
        Path jar = Paths.get(URI.create(block.getLocation()));
        assertTrue("block was installed from its jar in deploy/: " + jar, Files.isRegularFile(jar));

        try (KongRpc kong = KongRpc.connect(socket);
             ServiceWatch blockService = new ServiceWatch(context, handler("block"))) {
            long instance = kong.startInstance("block", "{\"__key__\":\"b\",\"__seq__\":1}");
            assertBlockLetsThrough(kong, instance);

            try (InputStream in = Files.newInputStream(jar)) {
                block.update(in);
            }
            ServiceReference<?> after = blockService.awaitUntil("a new block service after the update",
                    refs -> refs.size() == 1 && !refs.get(0).getProperty(Constants.SERVICE_ID).equals(serviceBefore))
                    .get(0);
            assertEquals(Bundle.ACTIVE, block.getState());
            assertEquals("an update keeps the bundle", block, after.getBundle());
            assertNotSame("an update installs a new revision", revisionBefore, block.adapt(BundleRevision.class));
            assertNotEquals(serviceBefore, after.getProperty(Constants.SERVICE_ID));

            // the instance Kong started before the update is served by the new revision
            assertBlockLetsThrough(kong, instance);
            KongRpc.Step s = kong.handleEvent(instance, "access");
            assertEquals(Map.of("Method", "kong.request.get_header", "Args", List.of("x-block")), s.data());
            s = kong.step(s.eventId(), "yes");
            assertEquals(Map.of("Method", "kong.response.exit",
                    "Args", List.of(403L, "denied", Map.of("x-why", "test"))), s.data());
        }
    }

    private static void assertBlockLetsThrough(KongRpc kong, long instance) throws Exception {
        KongRpc.Step s = kong.handleEvent(instance, "access");
        assertEquals(Map.of("Method", "kong.request.get_header", "Args", List.of("x-block")), s.data());
        assertEquals("no x-block header: the request goes on", "ret", kong.step(s.eventId(), null).data());
    }

    private static String handler(String name) {
        return "(&" + PluginServicesIT.HANDLER_FILTER + "(kong.plugin.name=" + name + "))";
    }
}
