package io.kjps.socket.internal;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerConsumer;
import org.osgi.service.log.LoggerFactory;

/**
 * The OSGi log service's {@link LoggerFactory}, writing to the server's log: one line per entry, like every other
 * line of the server. Declarative Services logs through it once it is registered (without one, DS prints its
 * messages and whole stack traces on {@code System.err}, which inside a shell command is the shell session's).
 *
 * <p>An entry with an exception is one line at its level, ending {@code ; caused by <exception>} (the first line of
 * the exception, and of its root cause when that is another one); the stack trace follows as a separate DEBUG entry,
 * shown with {@code -v}. Entries below ERROR are written only with {@code -v}. The logger is named after the bundle the entry is about, so the log shows the last part of
 * its symbolic name ({@code [scr]} for Declarative Services). Messages use the OSGi log's {@code {}} placeholders.
 */
@Component(service = LoggerFactory.class)
public final class OsgiLogBridge implements LoggerFactory {

    @Override
    public Logger getLogger(String name) {
        return logger(name);
    }

    @Override
    public Logger getLogger(Class<?> clazz) {
        return logger(clazz.getName());
    }

    @Override
    public <L extends Logger> L getLogger(String name, Class<L> loggerType) {
        return loggerType.cast(logger(name));
    }

    @Override
    public <L extends Logger> L getLogger(Class<?> clazz, Class<L> loggerType) {
        return loggerType.cast(logger(clazz.getName()));
    }

    @Override
    public <L extends Logger> L getLogger(Bundle bundle, String name, Class<L> loggerType) {
        String bsn = bundle == null ? null : bundle.getSymbolicName();
        return loggerType.cast(logger(bsn != null ? bsn : name));
    }

    /** A {@link Logger} (the {@code FormatterLogger} methods included) over a {@link System.Logger} of that name. */
    private static Logger logger(String name) {
        System.Logger target = System.getLogger(name == null ? "osgi" : name);
        Object[] self = new Object[1];
        self[0] = Proxy.newProxyInstance(OsgiLogBridge.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    String m = method.getName();
                    if (m.equals("getName")) {
                        return target.getName();
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (m) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "Logger[" + target.getName() + "]";
                        };
                    }
                    if (m.startsWith("is") && m.endsWith("Enabled")) {
                        return written(target, level(m.substring(2, m.length() - "Enabled".length())));
                    }
                    System.Logger.Level level = level(m);
                    if (args != null && args.length == 1 && args[0] instanceof LoggerConsumer<?> consumer) {
                        if (written(target, level)) {
                            @SuppressWarnings("unchecked")
                            LoggerConsumer<RuntimeException> c = (LoggerConsumer<RuntimeException>) consumer;
                            c.accept((Logger) self[0]);
                        }
                        return null;
                    }
                    log(target, level, args);
                    return null;
                });
        return (Logger) self[0];
    }

    /** The OSGi level of a method name ({@code error}, {@code Warn}, ...); AUDIT is always logged, as INFO. */
    private static System.Logger.Level level(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "error" -> System.Logger.Level.ERROR;
            case "warn" -> System.Logger.Level.WARNING;
            case "debug" -> System.Logger.Level.DEBUG;
            case "trace" -> System.Logger.Level.TRACE;
            default -> System.Logger.Level.INFO;
        };
    }

    /**
     * @return whether an entry at {@code level} is written: errors always; below that only when the server runs with
     *     {@code -v}, as Declarative Services logs by default only errors ({@code ds.loglevel}), and its warnings
     *     (about a service that failed, for example) repeat what the error and the update guard already say
     */
    private static boolean written(System.Logger target, System.Logger.Level level) {
        return target.isLoggable(level)
                && (level.getSeverity() >= System.Logger.Level.ERROR.getSeverity()
                    || target.isLoggable(System.Logger.Level.DEBUG));
    }

    private static void log(System.Logger target, System.Logger.Level level, Object[] args) {
        if (args == null || args.length == 0 || !written(target, level)) {
            return;
        }
        String format = String.valueOf(args[0]);
        List<Object> values = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        if (values.size() == 1 && values.get(0) instanceof Object[] varargs) {
            values = new ArrayList<>(Arrays.asList(varargs));
        }
        Throwable thrown = null;
        // the OSGi rule: a trailing Throwable, then a trailing ServiceReference, are not placeholder values
        if (!values.isEmpty() && values.get(values.size() - 1) instanceof ServiceReference<?>) {
            values.remove(values.size() - 1);
        }
        if (!values.isEmpty() && values.get(values.size() - 1) instanceof Throwable t) {
            thrown = t;
            values.remove(values.size() - 1);
        }
        String text = format(format, values);
        if (thrown == null) {
            target.log(level, text);
            return;
        }
        target.log(level, text + "; caused by " + describe(thrown));
        target.log(System.Logger.Level.DEBUG, "stack trace of: " + text, thrown);
    }

    /**
     * @param format a message with {@code {}} placeholders ({@code \{}} for a literal one)
     * @param values the values, in order; placeholders beyond them stay as they are
     * @return the message with the values in
     */
    static String format(String format, List<Object> values) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '\\' && format.startsWith("{}", i + 1)) {
                out.append("{}");
                i += 2;
            } else if (c == '{' && format.startsWith("}", i + 1) && next < values.size()) {
                out.append(values.get(next++));
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** @return the first line of the exception, and of its root cause when that is another exception */
    static String describe(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String first = firstLine(thrown.toString());
        return root == thrown ? first : first + " (root cause " + firstLine(root.toString()) + ")";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
