package io.kjps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The sample plugins of the distribution, deployed next to its system bundles: each registers a
 * {@code KongPhaseHandler} service carrying the {@code @KongPlugin} metadata, and carries the descriptor the
 * annotation processor wrote.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginServicesIT {
    static final String HANDLER_FILTER = "(objectClass=io.kjps.plugin.KongPhaseHandler)";
    private static final String API_BSN = "io.kjps.kong-java-pluginserver-api";
    private static final String SAMPLE_BSN_PREFIX = "io.kjps.kong-java-pluginserver-sample-";

    /** The start order the distribution promises. */
    private static final List<String> STARTUP_ORDER = List.of(
            "org.osgi.util.function.jar", "org.osgi.util.promise.jar", "org.osgi.service.component.jar",
            "org.osgi.service.log.jar", "org.apache.felix.configadmin.jar", "org.apache.felix.scr.jar", "org.apache.felix.fileinstall.jar",
            "org.apache.felix.gogo.runtime.jar", "org.apache.felix.gogo.command.jar", "msgpack-core.jar", "gson.jar",
            "kong-java-pluginserver-api.jar", "kong-java-pluginserver-socket.jar",
            "kong-java-pluginserver-shell.jar");
    /** Plugin name to priority, from the samples' {@code @KongPlugin}. */
    static final Map<String, Integer> PRIORITIES = Map.of(
            "java-hello", 1, "hello", 1000, "block", 2000, "pdkcheck", 500, "api-key", 1250, "header-transformer", 800,
            "json-transform", 700, "file-log", 9, "kotlin-hello", 2);
    /** Plugin name to the phases its handler implements, in Kong's order. */
    private static final Map<String, List<String>> PHASES = Map.of(
            "java-hello", List.of("access", "response", "log"),
            "hello", List.of("access"),
            "block", List.of("access"),
            "pdkcheck", List.of("access", "response", "log"),
            "api-key", List.of("access"),
            "header-transformer", List.of("access", "response"),
            "json-transform", List.of("response"),
            "file-log", List.of("log"),
            "kotlin-hello", List.of("access", "log"));

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return Distribution.options(Map.of());
    }

    @Test
    public void everyBundleOfTheDistributionIsActive() {
        Path home = Distribution.home();
        List<Path> system = Distribution.systemBundles(home);
        List<String> names = new ArrayList<>();
        system.forEach(jar -> names.add(jar.getFileName().toString()));
        assertEquals("system/startup.list, in start order", STARTUP_ORDER, names);
        List<Path> deploy = Distribution.deployBundles(home);
        assertEquals("plugin jars in deploy/", PRIORITIES.size(), deploy.size());
        List<Path> all = new ArrayList<>(system);
        all.addAll(deploy);
        for (Path jar : all) {
            Bundle b = context.getBundle(jar.toUri().toString());
            assertNotNull(jar + " is installed", b);
            assertEquals(jar.getFileName() + " (" + b.getSymbolicName() + ") state", Bundle.ACTIVE, b.getState());
        }
    }

    @Test
    public void eachSamplePluginRegistersOneHandlerServiceWithItsMetadata() throws Exception {
        Map<String, ServiceReference<?>> handlers = awaitHandlers(context);
        for (Map.Entry<String, Integer> e : PRIORITIES.entrySet()) {
            String name = e.getKey();
            ServiceReference<?> ref = handlers.get(name);
            assertEquals(name + " kong.plugin.version", "0.1.0", ref.getProperty("kong.plugin.version"));
            assertEquals(name + " kong.plugin.priority", e.getValue(), ref.getProperty("kong.plugin.priority"));
            Bundle provider = ref.getBundle();
            assertEquals("provider of " + name, SAMPLE_BSN_PREFIX + name, provider.getSymbolicName());
            assertTrue(name + " comes from deploy/: " + provider.getLocation(),
                    provider.getLocation().startsWith(Distribution.home().resolve("deploy").toUri().toString()));
            assertEquals(name + " bundle state", Bundle.ACTIVE, provider.getState());
        }
    }

    @Test
    public void apiBundleExportsItsPackagesAtTheirVersionsAndThePluginsUseThem() throws Exception {
        Bundle api = bundleNamed(API_BSN);
        Map<String, Version> exports = new TreeMap<>();
        for (BundleCapability c : api.adapt(BundleWiring.class).getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
            exports.put((String) c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE),
                    (Version) c.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE));
        }
        Version v1 = new Version(1, 0, 0);
        Version v2 = new Version(2, 0, 0); // issue 11: the GatewayService rename and the int status broke the API
        assertEquals(Map.of("io.kjps.pdk", v2, "io.kjps.pdk.entity", v2, "io.kjps.plugin", v1,
                "io.kjps.plugin.config", v1), exports);

        for (Map.Entry<String, ServiceReference<?>> e : awaitHandlers(context).entrySet()) {
            Map<String, Bundle> providers = new HashMap<>();
            for (BundleWire w : e.getValue().getBundle().adapt(BundleWiring.class)
                    .getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
                providers.put((String) w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE),
                        w.getProvider().getBundle());
            }
            assertSame(e.getKey() + " imports io.kjps.plugin from the api bundle", api, providers.get("io.kjps.plugin"));
            assertSame(e.getKey() + " imports io.kjps.pdk from the api bundle", api, providers.get("io.kjps.pdk"));
        }
    }

    @Test
    public void eachSampleJarCarriesItsDescriptor() throws Exception {
        Map<String, ServiceReference<?>> handlers = awaitHandlers(context);
        for (String name : PRIORITIES.keySet()) {
            Bundle bundle = handlers.get(name).getBundle();
            URL entry = bundle.getEntry(Distribution.DESCRIPTOR_DIRECTORY + name + ".json");
            assertNotNull(name + " has " + Distribution.DESCRIPTOR_DIRECTORY + name + ".json", entry);
            JsonObject root = JsonParser.parseString(read(entry)).getAsJsonObject();
            JsonObject kong = root.getAsJsonObject("Kong");
            assertEquals(name, kong.get("Name").getAsString());
            assertEquals("0.1.0", kong.get("Version").getAsString());
            assertEquals(name + " Priority", (int) PRIORITIES.get(name), kong.get("Priority").getAsInt());
            assertEquals(name + " Phases", PHASES.get(name), strings(kong.getAsJsonArray("Phases")));

            JsonObject schema = kong.getAsJsonObject("Schema");
            assertEquals(name + " Schema.name", name, schema.get("name").getAsString());
            JsonArray fields = schema.getAsJsonArray("fields");
            assertEquals(name + " Schema.fields has only config", 1, fields.size());
            JsonObject config = fields.get(0).getAsJsonObject().getAsJsonObject("config");
            assertEquals(name + " config type", "record", config.get("type").getAsString());

            // the handler the descriptor names is the class of the service object
            ServiceReference<?> ref = handlers.get(name);
            Object service = context.getService(ref);
            try {
                assertEquals(name + " Handler", service.getClass().getName(), root.get("Handler").getAsString());
            } finally {
                context.ungetService(ref);
            }
        }

        JsonObject hello = JsonParser.parseString(read(handlers.get("hello").getBundle()
                .getEntry(Distribution.DESCRIPTOR_DIRECTORY + "hello.json"))).getAsJsonObject();
        JsonElement helloConfigFields = hello.getAsJsonObject("Kong").getAsJsonObject("Schema")
                .getAsJsonArray("fields").get(0).getAsJsonObject().getAsJsonObject("config").get("fields");
        assertEquals(JsonParser.parseString("[{\"greeting\": {\"type\": \"string\", \"default\": \"hi\"}}]"),
                helloConfigFields);
        assertEquals("io.kjps.samples.hello.Hello$Config", hello.get("ConfigType").getAsString());
    }

    /**
     * Waits until exactly the sample plugins are served as handlers.
     *
     * @param context the test bundle's context
     * @return plugin name to its service
     * @throws InterruptedException when interrupted
     */
    static Map<String, ServiceReference<?>> awaitHandlers(BundleContext context) throws InterruptedException {
        try (ServiceWatch watch = new ServiceWatch(context, HANDLER_FILTER)) {
            List<ServiceReference<?>> refs = watch.awaitUntil("one KongPhaseHandler per sample plugin "
                    + PRIORITIES.keySet(), r -> byName(r).keySet().equals(PRIORITIES.keySet()));
            assertEquals("KongPhaseHandler services: " + ServiceWatch.describe(refs), PRIORITIES.size(), refs.size());
            return byName(refs);
        }
    }

    private static Map<String, ServiceReference<?>> byName(List<ServiceReference<?>> refs) {
        Map<String, ServiceReference<?>> byName = new TreeMap<>();
        for (ServiceReference<?> r : refs) {
            byName.put(String.valueOf(r.getProperty("kong.plugin.name")), r);
        }
        return byName;
    }

    private Bundle bundleNamed(String symbolicName) {
        Bundle found = null;
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                assertTrue("only one bundle named " + symbolicName, found == null);
                found = b;
            }
        }
        assertNotNull("a bundle named " + symbolicName, found);
        return found;
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static String read(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
