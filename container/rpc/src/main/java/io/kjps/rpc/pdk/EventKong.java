package io.kjps.rpc.pdk;

import io.kjps.pdk.Client;
import io.kjps.pdk.Cluster;
import io.kjps.pdk.Ctx;
import io.kjps.pdk.Ip;
import io.kjps.pdk.Kong;
import io.kjps.pdk.Log;
import io.kjps.pdk.Nginx;
import io.kjps.pdk.Node;
import io.kjps.pdk.Plugin;
import io.kjps.pdk.Request;
import io.kjps.pdk.Response;
import io.kjps.pdk.Router;
import io.kjps.pdk.Service;
import io.kjps.pdk.Vault;

/** The {@link Kong} handle of one event; namespaces are created on first use. */
public final class EventKong implements Kong {
    private final PdkCaller caller;
    private Request request;
    private Response response;
    private Service service;
    private Log log;
    private Ctx ctx;
    private Nginx nginx;
    private Node node;
    private Client client;
    private Ip ip;
    private Plugin plugin;
    private Router router;
    private Vault vault;
    private Cluster cluster;

    /** @param caller sends the calls of this event */
    public EventKong(PdkCaller caller) {
        this.caller = caller;
    }

    @Override
    public Request request() {
        Request r = request;
        return r != null ? r : (request = new RequestPdk(caller));
    }

    @Override
    public Response response() {
        Response r = response;
        return r != null ? r : (response = new ResponsePdk(caller));
    }

    @Override
    public Service service() {
        Service s = service;
        return s != null ? s : (service = new ServicePdk(caller));
    }

    @Override
    public Log log() {
        Log l = log;
        return l != null ? l : (log = new LogPdk(caller));
    }

    @Override
    public Ctx ctx() {
        Ctx c = ctx;
        return c != null ? c : (ctx = new CtxPdk(caller));
    }

    @Override
    public Nginx nginx() {
        Nginx n = nginx;
        return n != null ? n : (nginx = new NginxPdk(caller));
    }

    @Override
    public Node node() {
        Node n = node;
        return n != null ? n : (node = new NodePdk(caller));
    }

    @Override
    public Client client() {
        Client c = client;
        return c != null ? c : (client = new ClientPdk(caller));
    }

    @Override
    public Ip ip() {
        Ip i = ip;
        return i != null ? i : (ip = new IpPdk(caller));
    }

    @Override
    public Plugin plugin() {
        Plugin p = plugin;
        return p != null ? p : (plugin = new PluginPdk(caller));
    }

    @Override
    public Router router() {
        Router r = router;
        return r != null ? r : (router = new RouterPdk(caller));
    }

    @Override
    public Vault vault() {
        Vault v = vault;
        return v != null ? v : (vault = new VaultPdk(caller));
    }

    @Override
    public Cluster cluster() {
        Cluster c = cluster;
        return c != null ? c : (cluster = new ClusterPdk(caller));
    }

    @Override
    public Object call(String method, Object... args) {
        if ("kong.response.exit".equals(method) || "kong.response.error".equals(method)) {
            caller.callTerminal(method, args);
            return null;
        }
        return caller.call(method, args);
    }
}
