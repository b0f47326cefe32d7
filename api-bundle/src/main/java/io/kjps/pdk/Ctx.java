package io.kjps.pdk;

import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.ctx}: per-request context tables. */
@ProviderType
public interface Ctx {

    /** @return {@code kong.ctx.shared}: shared by every plugin of the request, across phases */
    SharedCtx shared();

    /** {@code kong.ctx.shared}: a per-request table shared by all plugins. Every phase (log reads a snapshot). */
    @ProviderType
    interface SharedCtx {

        /**
         * {@code kong.ctx.shared.get(key)}.
         *
         * @param key the key
         * @return the value ({@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code List},
         *         {@code Map}) or {@code null}
         */
        Object get(String key);

        /**
         * {@code kong.ctx.shared.get(key)} for a string value.
         *
         * @param key the key
         * @return the value as text, or {@code null}
         */
        default String getString(String key) {
            Object v = get(key);
            return v == null ? null : v.toString();
        }

        /**
         * {@code kong.ctx.shared.set(key, value)}.
         *
         * @param key the key
         * @param value a value Kong can store: text, number, boolean, list, map, or {@code null}
         */
        void set(String key, Object value);
    }
}
