package io.kjps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.msgpack.core.MessagePack;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/**
 * The socket bundle serves Kong's MsgPack:1 protocol on the socket named by {@code kjps.socket}: it announces
 * readiness with a service, restricts the socket file, and answers a raw conversation the way Kong expects
 * (protocol.md §4.1–§4.4).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SocketIT {
    static final String HELLO_CONFIG = "{\"greeting\":\"yo\",\"__key__\":\"x\",\"__seq__\":1}";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return Distribution.options(Map.of());
    }

    @Test
    public void readyConditionNamesTheSocketWhoseFileIsForOwnerAndGroupOnly() throws Exception {
        Path socket = awaitReadySocket(context);
        assertEquals(Paths.get(context.getProperty("kjps.socket")).toAbsolutePath(), socket);
        assertNull("no kjps.socket.failed condition",
                context.getServiceReferences((String) null, "(osgi.condition.id=kjps.socket.failed)"));

        BasicFileAttributes attributes = Files.readAttributes(socket, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        assertTrue(socket + " is a socket, not a regular file, directory or link", attributes.isOther());
        assertEquals(PosixFilePermissions.fromString("rw-rw----"),
                Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    public void helloAccessEventRoundTrip() throws Exception {
        Path socket = awaitReadySocket(context);
        PluginServicesIT.awaitHandlers(context);
        // the client's codec is the distribution's msgpack-core bundle, wired to the probe by dynamic import
        assertEquals(context.getBundle(Distribution.home().resolve("system").resolve("msgpack-core.jar").toUri()
                .toString()), FrameworkUtil.getBundle(MessagePack.class));
        long pid = ProcessHandle.current().pid(); // the native container runs the framework in this JVM
        try (KongRpc kong = KongRpc.connect(socket)) {
            assertEquals(List.of(2L, "serverPid", pid), kong.greeting());
            long instance = kong.startInstance("hello", HELLO_CONFIG);
            assertHelloAccess(kong, kong, instance, "Bob", "yo");
        }
    }

    @Test
    public void theStepsOfAnEventMayArriveOnAnotherConnection() throws Exception {
        Path socket = awaitReadySocket(context);
        PluginServicesIT.awaitHandlers(context);
        try (KongRpc first = KongRpc.connect(socket); KongRpc second = KongRpc.connect(socket)) {
            assertEquals("every connection starts with serverPid", first.greeting(), second.greeting());
            long instance = first.startInstance("hello", HELLO_CONFIG);
            assertHelloAccess(first, second, instance, "Eve", "yo");
        }
    }

    @Test
    public void unknownInstanceIsReportedSoThatKongStartsItAgain() throws Exception {
        Path socket = awaitReadySocket(context);
        try (KongRpc kong = KongRpc.connect(socket)) {
            KongRpc.Response r = kong.call("plugin.HandleEvent", Map.of("InstanceId", 999999L, "EventName", "access"));
            assertEquals("No plugin instance 999999", r.error());
            assertNull(r.result());
            // the connection goes on after an error
            assertEquals("No plugin instance 999998",
                    kong.call("plugin.HandleEvent", Map.of("InstanceId", 999998L, "EventName", "access")).error());
        }
    }

    /**
     * Runs one {@code access} event of the hello plugin the way Kong does, checking every step.
     *
     * @param handle the connection for HandleEvent
     * @param steps the connection for the Step calls (Kong may use another one from its pool)
     * @param instance a hello instance
     * @param name the {@code x-name} header Kong reports
     * @param greeting the instance's configured greeting
     * @throws Exception when the connection fails
     */
    static void assertHelloAccess(KongRpc handle, KongRpc steps, long instance, String name, String greeting)
            throws Exception {
        KongRpc.Step s = handle.handleEvent(instance, "access");
        long event = s.eventId();
        assertEquals(Map.of("Method", "kong.request.get_header", "Args", List.of("x-name")), s.data());
        s = steps.step(event, name);
        assertEquals(Map.of("Method", "kong.response.set_header", "Args", List.of("x-hello", "hello " + name)),
                s.data());
        s = steps.step(event, null);
        assertEquals(Map.of("Method", "kong.response.set_header", "Args", List.of("x-hello-greeting", greeting)),
                s.data());
        s = steps.step(event, null);
        assertEquals("ret", s.data());
    }

    /**
     * Waits for the socket bundle's readiness: the OSGi condition {@code kjps.socket.ready}.
     *
     * @param context the test bundle's context
     * @return the socket path it names
     * @throws InterruptedException when interrupted
     */
    static Path awaitReadySocket(BundleContext context) throws InterruptedException {
        try (ServiceWatch watch = new ServiceWatch(context, "(osgi.condition.id=kjps.socket.ready)")) {
            ServiceReference<?> ready = watch.awaitAny("the socket bundle listens (condition kjps.socket.ready)");
            assertTrue("kjps.socket.ready is an OSGi condition", List.of(
                    (String[]) ready.getProperty(org.osgi.framework.Constants.OBJECTCLASS))
                    .contains("org.osgi.service.condition.Condition"));
            return Paths.get((String) ready.getProperty("kjps.socket"));
        }
    }
}
