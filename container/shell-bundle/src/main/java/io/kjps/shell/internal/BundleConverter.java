package io.kjps.shell.internal;

import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Lets Gogo commands take bundles by id or symbolic name ({@code update 16}, {@code headers 3}). Gogo's own
 * converter for that lives in the interactive shell bundle (gogo.jline), which this server does not run.
 */
final class BundleConverter implements Converter {
    private final BundleContext context;

    BundleConverter(BundleContext context) {
        this.context = context;
    }

    @Override
    public Object convert(Class<?> desiredType, Object in) {
        if (desiredType != Bundle.class) {
            return null;
        }
        if (in instanceof Number n) {
            return context.getBundle(n.longValue());
        }
        if (in instanceof CharSequence cs) {
            String text = cs.toString().trim();
            if (text.matches("[0-9]+")) {
                return context.getBundle(Long.parseLong(text));
            }
            for (Bundle b : context.getBundles()) {
                if (text.equals(b.getSymbolicName())) {
                    return b;
                }
            }
        }
        return null;
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        if (target instanceof Bundle b) {
            return b.getBundleId() + " " + b.getSymbolicName() + " " + b.getVersion();
        }
        return null;
    }
}
