package io.kjps.testkit;

import io.kjps.emulator.EventOutcome;
import io.kjps.emulator.FakeRequest;
import io.kjps.emulator.KongClient;
import io.kjps.emulator.KongConnectionPool;
import io.kjps.emulator.KongEmulator;
import io.kjps.model.PluginRules;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.rpc.codec.DecodeLimits;
import io.kjps.rpc.codec.RpcCodec;
import io.kjps.rpc.config.ConfigDecoder;
import io.kjps.rpc.dispatch.Dispatcher;
import io.kjps.rpc.dispatch.DispatcherSettings;
import io.kjps.rpc.dispatch.PluginRegistry;
import io.kjps.rpc.dispatch.ServedPlugin;
import io.kjps.rpc.plugin.Phase;
import io.kjps.model.PluginDescriptor;
import io.kjps.rpc.server.HandlerThreads;
import io.kjps.rpc.server.RpcConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one plugin's phases for one request against an in-memory fake Kong, through the same RPC codec and dispatcher
 * as the production server, over a real unix socket:
 *
 * <pre>{@code
 * PluginTester.Result r = PluginTester.of(new MyPlugin())
 *         .config(new MyPlugin.Config("x-api-key", List.of("k1")))   // or .configJson("{...}")
 *         .request(q -> q.method("GET").path("/x").header("x-api-key", "k1"))
 *         .run();
 * assertEquals(200, r.response().status());
 * assertEquals("k1", r.serviceRequest().header("x-api-key"));
 * }</pre>
 *
 * <p>The plugin's descriptor is read from {@code META-INF/kong-java-pluginserver/plugins/<name>.json} on the class
 * path, as the annotation processor writes it, and its config type is decoded by the production
 * {@link ConfigDecoder}, so defaults, required fields and snake_case names behave as behind Kong. Kong is played by
 * {@code kong-emulator}'s {@link KongEmulator} (Kong's packer and bridge loop) and {@link FakeRequest} (Kong's PDK
 * answers for one HTTP request, with Kong's phase checks: a call Kong forbids in a phase raises and abandons the
 * phase, as in Kong).
 *
 * <p>Phases run in Kong's order: {@code rewrite}, {@code access}, {@code response}, {@code log}, each only when the
 * plugin declares it. After {@code kong.response.exit} or {@code error}, {@code response} is skipped and {@code log}
 * still runs, as in Kong. When {@code rewrite} or {@code access} is abandoned (a PDK call raised), the client gets
 * Kong's 500 ({@code "An unexpected error occurred"}), {@code response} is skipped and {@code log} runs, as Kong 3.9
 * did in the recorded conversation {@code pdkcheck-error}.
 *
 * <p><b>The upstream echoes by default.</b> Unless the test gives the upstream a body, the service answers 200 with
 * {@code Content-Type: application/json} and a JSON document describing the request it received ({@code method},
 * {@code uri}, {@code path}, {@code query}, {@code headers}, {@code body}, {@code json}: see
 * {@link FakeRequest.Builder#echoUpstream()}), after the plugin's {@code kong.service.request.*} changes. Kong's own
 * plugin tests mostly proxy to such an echoing upstream, and it is what an author expects: a plugin that rewrites
 * the request shows its effect in the response, and a response-phase plugin ({@code kong.service.response.*}) has a
 * realistic JSON body to work on. {@code upstreamBody(...)} in {@link #request} gives a fixed body instead;
 * {@code upstreamStatus} and {@code upstreamHeader} apply to both.
 *
 * @param <C> the plugin's config type
 */
public final class PluginTester<C> {
    private static final Phase[] ORDER = {Phase.REWRITE, Phase.ACCESS, Phase.RESPONSE, Phase.LOG};

    private final KongPhaseHandler<C> plugin;
    private final PluginDescriptor descriptor;
    private String configJson = "{}";
    private Consumer<FakeRequest.Builder> request = b -> { };
    private List<Phase> phases;
    private Duration timeout = Duration.ofSeconds(30);

    private PluginTester(KongPhaseHandler<C> plugin, PluginDescriptor descriptor) {
        this.plugin = plugin;
        this.descriptor = descriptor;
    }

    /**
     * A tester for one plugin instance.
     *
     * @param plugin the plugin; its class must carry {@code @KongPlugin} and be built with the annotation processor
     * @param <C> its config type
     * @return the tester
     * @throws IllegalArgumentException when no descriptor for the class is on the class path
     */
    public static <C> PluginTester<C> of(KongPhaseHandler<C> plugin) {
        return new PluginTester<>(Objects.requireNonNull(plugin), descriptorOf(plugin.getClass()));
    }

    /** Finds the processor-written descriptor whose handler is this class (the annotation is class-retained). */
    private static PluginDescriptor descriptorOf(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        List<String> found = new ArrayList<>();
        try {
            var dirs = loader.getResources(PluginRules.RESOURCE_DIRECTORY);
            while (dirs.hasMoreElements()) {
                java.net.URL url = dirs.nextElement();
                for (String entry : entries(url)) {
                    try (InputStream in = loader.getResourceAsStream(PluginRules.RESOURCE_DIRECTORY + entry)) {
                        if (in == null) {
                            continue;
                        }
                        PluginDescriptor d = PluginDescriptor.parse(new String(in.readAllBytes(),
                                StandardCharsets.UTF_8));
                        found.add(d.name());
                        if (d.handlerClass().equals(type.getName())) {
                            return d;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("no plugin descriptor for " + type.getName() + " under "
                + PluginRules.RESOURCE_DIRECTORY + " on the class path (found " + found + "): annotate it with"
                + " @KongPlugin and build it with kong-java-pluginserver-processor on the annotation processor path");
    }

    /** The {@code *.json} names in a class-path folder, from a directory or a jar. */
    private static List<String> entries(java.net.URL url) throws IOException {
        List<String> names = new ArrayList<>();
        if ("file".equals(url.getProtocol())) {
            try (var files = Files.list(Path.of(java.net.URI.create(url.toString())))) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted()
                        .forEach(names::add);
            }
        } else if ("jar".equals(url.getProtocol())) {
            java.net.JarURLConnection c = (java.net.JarURLConnection) url.openConnection();
            c.setUseCaches(false);
            try (java.util.jar.JarFile jar = c.getJarFile()) {
                jar.stream().map(java.util.zip.ZipEntry::getName)
                        .filter(n -> n.startsWith(PluginRules.RESOURCE_DIRECTORY) && n.endsWith(".json")
                                && n.indexOf('/', PluginRules.RESOURCE_DIRECTORY.length()) < 0)
                        .map(n -> n.substring(PluginRules.RESOURCE_DIRECTORY.length())).forEach(names::add);
            }
        }
        return names;
    }

    /**
     * @param json the plugin's config as Kong sends it (JSON text); defaults to {@code {}}, so every default applies
     * @return this
     */
    public PluginTester<C> configJson(String json) {
        this.configJson = Objects.requireNonNull(json);
        return this;
    }

    /**
     * The plugin's config as a Java object, written as the JSON Kong would send: field names as the server's
     * config decoder reads them ({@code @Name}, else the Java name in snake_case), nested records and config
     * classes as objects, lists, sets and arrays as arrays, maps as objects, enums by name, and a {@code null} field
     * as JSON {@code null}, so its {@code @Default} applies as when Kong fills it in. The plugin then gets the
     * config the server decodes from that JSON, as behind Kong; replaces an earlier {@link #configJson(String)}.
     *
     * @param config the config, of the plugin's config type
     * @return this
     * @throws IllegalArgumentException when the object holds a value JSON cannot (a non-finite number, a map key
     *         that is not a string, enum, number or boolean, a JDK type such as {@code Optional}, or a cycle), or
     *         leaves {@code null} a field that is {@code @Required} without a {@code @Default}, which Kong refuses
     *         ({@code config.<field>: required field missing})
     * @throws NullPointerException when {@code config} is null: leave the call out, so every default applies
     */
    public PluginTester<C> config(C config) {
        Objects.requireNonNull(config, "config: leave config(...) out for a config with every default");
        this.configJson = ConfigJson.write(config, descriptor.config());
        return this;
    }

    /** @return the config JSON the next {@link #run()} sends in {@code plugin.StartInstance} */
    public String configJson() {
        return configJson;
    }

    /**
     * @param customizer sets up the request (method, path, query, headers, body) and the upstream's answer
     *        ({@code upstreamStatus}, {@code upstreamHeader}, {@code upstreamBody}) on a {@link FakeRequest.Builder}
     *        that starts with {@link FakeRequest.Builder#echoUpstream()}: without {@code upstreamBody} the upstream
     *        echoes the request it received
     * @return this
     */
    public PluginTester<C> request(Consumer<FakeRequest.Builder> customizer) {
        this.request = Objects.requireNonNull(customizer);
        return this;
    }

    /**
     * @param names the phases to run ({@code rewrite}, {@code access}, {@code response}, {@code log}), in this
     *        order; by default every phase the plugin declares
     * @return this
     */
    public PluginTester<C> phases(String... names) {
        List<Phase> list = new ArrayList<>();
        for (String n : names) {
            list.add(Phase.valueOf(n.toUpperCase(java.util.Locale.ROOT)));
        }
        this.phases = list;
        return this;
    }

    /**
     * @param t the longest a phase may take, including Kong's side
     * @return this
     */
    public PluginTester<C> timeout(Duration t) {
        this.timeout = Objects.requireNonNull(t);
        return this;
    }

    /**
     * Starts a dispatcher serving the plugin on a fresh unix socket, starts a plugin instance with the config, runs
     * the phases for one request and stops everything.
     *
     * @return what happened
     * @throws IllegalArgumentException when Kong's StartInstance fails (for example the config does not decode)
     */
    public Result run() {
        FakeRequest.Builder b = FakeRequest.builder().echoUpstream();
        request.accept(b);
        FakeRequest fake = b.build();
        ServedPlugin served = new ServedPlugin(descriptor, plugin,
                ConfigDecoder.forType(configType(), descriptor.config()),
                "test kit " + plugin.getClass().getName());
        PluginRegistry registry = new PluginRegistry();
        registry.register(served, this);
        ExecutorService handlerThreads = HandlerThreads.create("testkit-event-", 64);
        ExecutorService connections = HandlerThreads.create("testkit-connection-", 256);
        Dispatcher dispatcher = new Dispatcher(registry, handlerThreads, new DispatcherSettings(5_000,
                timeout.toMillis(), timeout.toMillis() * 2, true));
        RpcCodec codec = new RpcCodec(DecodeLimits.DEFAULT);
        Path dir = null;
        try {
            dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "kjps-testkit");
            Path socket = dir.resolve("s");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                connections.execute(() -> accept(server, connections, dispatcher, codec));
                try (KongConnectionPool pool = new KongConnectionPool(socket, 4, KongConnectionPool.Policy.LIFO,
                        timeout)) {
                    KongEmulator kong = new KongEmulator(new KongClient(pool));
                    long instance = kong.startInstance(descriptor.name(), configJson);
                    Map<String, EventOutcome> outcomes = new LinkedHashMap<>();
                    for (Phase p : phasesToRun()) {
                        if (p == Phase.RESPONSE && fake.exited()) {
                            continue;
                        }
                        String name = p.name().toLowerCase(java.util.Locale.ROOT);
                        EventOutcome outcome = kong.handleEvent(instance, name, fake);
                        outcomes.put(name, outcome);
                        if (outcome.ending() == EventOutcome.Ending.ABANDONED
                                && (p == Phase.REWRITE || p == Phase.ACCESS)) {
                            fake.handlerFailed(); // as Kong: 500, no response phase, the log phase still runs
                        }
                    }
                    return new Result(fake, outcomes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            dispatcher.close();
            connections.shutdownNow();
            handlerThreads.shutdownNow();
            try {
                handlerThreads.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir.resolve("s"));
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temp folder left behind is harmless
                }
            }
        }
    }

    private Class<?> configType() {
        if (descriptor.configType() == null) {
            return null;
        }
        try {
            return Class.forName(descriptor.configType(), false, plugin.getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("config type " + descriptor.configType() + " not found", e);
        }
    }

    private List<Phase> phasesToRun() {
        List<Phase> out = new ArrayList<>();
        for (Phase p : ORDER) {
            boolean wanted = phases == null ? descriptor.phases().contains(p.kongName()) : phases.contains(p);
            if (wanted) {
                out.add(p);
            }
        }
        return out;
    }

    private static void accept(ServerSocketChannel server, ExecutorService connections, Dispatcher dispatcher,
                               RpcCodec codec) {
        int n = 0;
        while (server.isOpen()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                return;
            }
            String name = "testkit connection " + (++n);
            try {
                RpcConnection c = new RpcConnection(ch, dispatcher, codec, connections, name,
                        ProcessHandle.current().pid(), null);
                connections.execute(c);
            } catch (IOException | RuntimeException e) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closed either way
                }
            }
        }
    }

    /** What one run did: the client response, the request sent upstream, logs, ctx.shared and each phase's end. */
    public static final class Result {
        private final FakeRequest fake;
        private final Map<String, EventOutcome> outcomes;

        Result(FakeRequest fake, Map<String, EventOutcome> outcomes) {
            this.fake = fake;
            this.outcomes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
        }

        /** @return the response the client gets */
        public ClientResponse response() {
            return new ClientResponse(fake);
        }

        /** @return the request Kong sends to the service */
        public UpstreamRequest serviceRequest() {
            return new UpstreamRequest(fake);
        }

        /** @return the lines logged through {@code kong.log.*} (and by Kong about calls), in order */
        public List<FakeRequest.LogLine> logs() {
            return fake.logLines();
        }

        /** @return {@code kong.ctx.shared} after the last phase */
        public Map<Object, Object> shared() {
            return fake.shared();
        }

        /** @return whether the plugin called {@code kong.response.exit} or {@code error} */
        public boolean exited() {
            return fake.exited();
        }

        /** @return how each phase that ran ended, by phase name, with every PDK call on the wire */
        public Map<String, EventOutcome> outcomes() {
            return outcomes;
        }

        /** @return the fake Kong request itself, for anything not covered above */
        public FakeRequest fake() {
            return fake;
        }
    }

    /**
     * The response the client gets, as the run left it. Not named {@code Response}: that is the PDK's
     * {@link io.kjps.pdk.Response}, which a plugin test imports too.
     */
    public static final class ClientResponse {
        private final FakeRequest fake;

        ClientResponse(FakeRequest fake) {
            this.fake = fake;
        }

        /** @return the status */
        public int status() {
            return fake.status();
        }

        /**
         * @param name a header name, case-insensitive
         * @return its first value, or {@code null}
         */
        public String header(String name) {
            return fake.responseHeader(name);
        }

        /** @return every header with its values */
        public Map<String, List<String>> headers() {
            return fake.responseHeaders();
        }

        /** @return the body bytes */
        public byte[] body() {
            return fake.responseBody();
        }

        /** @return the body as text */
        public String bodyText() {
            return fake.responseBodyText();
        }
    }

    /**
     * The request Kong sends upstream to the service ({@code kong.service.request} shapes it). Not named
     * {@code ServiceRequest}: that is the PDK's {@link io.kjps.pdk.ServiceRequest}.
     */
    public static final class UpstreamRequest {
        private final FakeRequest fake;

        UpstreamRequest(FakeRequest fake) {
            this.fake = fake;
        }

        /** @return the method */
        public String method() {
            return fake.serviceRequestMethod();
        }

        /** @return path and query */
        public String uri() {
            return fake.serviceRequestUri();
        }

        /** @return the headers */
        public Map<String, List<String>> headers() {
            return fake.serviceRequestHeaders();
        }

        /**
         * @param name a header name, case-insensitive
         * @return its first value, or {@code null}
         */
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : fake.serviceRequestHeaders().entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        /** @return the body */
        public byte[] body() {
            return fake.serviceRequestBody();
        }
    }
}
