package io.kjps.emulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A minimal plugin server for tests: instances from a counter, one event per HandleEvent whose step Data are taken
 * from a script (what to ask Kong for, in order, then "ret"); unknown instance → "no plugin instance #id".
 */
final class ScriptedPlugin implements TestServer.Handler {
    final AtomicLong nextInstance = new AtomicLong();
    final AtomicLong nextEvent = new AtomicLong();
    final Set<Long> instances = ConcurrentHashMap.newKeySet();
    private final Map<Long, ArrayDeque<Object>> events = new ConcurrentHashMap<>();
    private final Function<String, List<Object>> script;

    /** @param script phase → the Data values to answer with, in order ("ret" is appended) */
    ScriptedPlugin(Function<String, List<Object>> script) {
        this.script = script;
    }

    static Map<String, Object> pdk(String method, Object... args) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Method", method);
        m.put("Args", List.of(args));
        return m;
    }

    /** Forgets every instance (a restarted server). */
    void restart() {
        instances.clear();
    }

    @Override
    public List<byte[]> answer(TestServer.Received r) {
        String method = r.method();
        Object p = r.param();
        switch (method) {
            case "plugin.StartInstance": {
                long id = nextInstance.getAndIncrement();
                instances.add(id);
                Map<String, Object> res = new LinkedHashMap<>();
                res.put("Name", ((Map<?, ?>) p).get("Name"));
                res.put("Id", id);
                return TestServer.answer(r.msgid(), res);
            }
            case "plugin.CloseInstance":
                instances.remove((Long) p);
                return TestServer.answer(r.msgid(), Map.of("Id", p));
            case "plugin.HandleEvent": {
                Map<?, ?> m = (Map<?, ?>) p;
                long inst = (Long) m.get("InstanceId");
                if (!instances.contains(inst)) {
                    return List.of(TestServer.response(r.msgid(), "no plugin instance #" + inst, null));
                }
                long ev = nextEvent.getAndIncrement();
                ArrayDeque<Object> steps = new ArrayDeque<>(script.apply((String) m.get("EventName")));
                steps.add("ret");
                events.put(ev, steps);
                return step(r.msgid(), ev);
            }
            default: {
                long ev = (Long) ((Map<?, ?>) p).get("EventId");
                return step(r.msgid(), ev);
            }
        }
    }

    private List<byte[]> step(long msgid, long ev) {
        ArrayDeque<Object> steps = events.get(ev);
        if (steps == null || steps.isEmpty()) {
            return List.of(TestServer.response(msgid, "event id " + ev + " not found", null));
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("Data", steps.poll());
        res.put("EventId", ev);
        return TestServer.answer(msgid, res);
    }

    static List<Object> list(Object... items) {
        return new ArrayList<>(List.of(items));
    }
}
