package io.kjps.bench;

import java.util.List;

/**
 * One benchmark scenario: which plugin, which phase, and the PDK calls an event makes (checked once per server
 * before measuring, so every server does the same work).
 */
public enum Scenario {
    /** Two PDK calls an event: {@code kong.request.get_header}, {@code kong.response.set_header}. */
    HELLO("hello", "bench-hello", "access", List.of("kong.request.get_header", "kong.response.set_header")),
    /** Ten {@code kong.request.get_headers} calls, multimap results ({@code plugin.StepMultiMap}). */
    HEADERS("headers", "bench-headers", "access", java.util.Collections.nCopies(10, "kong.request.get_headers")),
    /** One terminal call, {@code kong.response.exit}: HandleEvent is the only RPC of the event. */
    EXIT("exit", "bench-exit", "access", List.of("kong.response.exit")),
    /** The log phase reads {@code kong.log.serialize()}, a 20 KB string. */
    LOG("log", "bench-log", "log", List.of("kong.log.serialize")),
    /**
     * The hello event, and every {@value #CHURN_EVERY}th event of each concurrent request a config change first:
     * Kong's {@code plugin.StartInstance} (new config) then {@code plugin.CloseInstance} (old id).
     */
    CHURN("churn", "bench-hello", "access", List.of("kong.request.get_header", "kong.response.set_header"));

    /** Churn: one instance replacement every this many events per concurrent request. */
    public static final int CHURN_EVERY = 4;

    private final String id;
    private final String plugin;
    private final String phase;
    private final List<String> calls;

    Scenario(String id, String plugin, String phase, List<String> calls) {
        this.id = id;
        this.plugin = plugin;
        this.phase = phase;
        this.calls = calls;
    }

    /** @return the scenario's name on the command line and in the table */
    public String id() {
        return id;
    }

    /** @return the plugin it runs */
    public String plugin() {
        return plugin;
    }

    /** @return the Kong phase (event name) */
    public String phase() {
        return phase;
    }

    /** @return the PDK methods one event calls, in order */
    public List<String> calls() {
        return calls;
    }

    /**
     * @param id a scenario name
     * @return the scenario
     */
    public static Scenario of(String id) {
        for (Scenario s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario " + id + "; expected hello, headers, exit, log or churn");
    }

    /** @return the plugin names the servers must serve */
    public static List<String> plugins() {
        return List.of("bench-hello", "bench-headers", "bench-exit", "bench-log");
    }
}
