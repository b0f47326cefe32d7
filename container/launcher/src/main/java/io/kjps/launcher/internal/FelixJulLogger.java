package io.kjps.launcher.internal;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Felix's framework logger (config property {@code felix.log.logger}) writing to {@code java.util.logging} logger
 * {@value #LOGGER_NAME} instead of Felix's own stdout printing. Felix's levels map to ERROR = SEVERE,
 * WARNING = WARNING, INFO = INFO, DEBUG = FINE; the bundle or service concerned, if any, prefixes the message.
 */
public final class FelixJulLogger extends org.apache.felix.framework.Logger {

    /** JUL logger name Felix's messages go to. */
    public static final String LOGGER_NAME = "felix";

    private final Logger jul = Logger.getLogger(LOGGER_NAME);

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        String context = "";
        if (sr != null) {
            context = "[" + sr + "] ";
        } else if (bundle != null) {
            context = "[" + bundle.getSymbolicName() + " " + bundle.getVersion() + " #" + bundle.getBundleId() + "] ";
        }
        doLog(level, context + msg, throwable);
    }

    @Override
    protected void doLog(int level, String msg, Throwable throwable) {
        jul.log(toJul(level), msg, throwable);
    }

    static Level toJul(int felixLevel) {
        return switch (felixLevel) {
            case LOG_ERROR -> Level.SEVERE;
            case LOG_WARNING -> Level.WARNING;
            case LOG_INFO -> Level.INFO;
            default -> Level.FINE;
        };
    }
}
