package io.kjps.rpc.config;

import java.util.Locale;

/**
 * Java names to Kong field names: camelCase to snake_case. Must stay identical to the annotation processor's
 * {@code io.kjps.processor.FieldNames}, which names the schema fields; both are tested on the same cases.
 */
public final class FieldNames {
    private FieldNames() {
    }

    /**
     * @param javaName a record component or field name
     * @return the Kong name: {@code _} before an upper-case letter that follows a lower-case letter or digit, then
     *         everything lower-cased ({@code headerName} to {@code header_name})
     */
    public static String toKong(String javaName) {
        StringBuilder sb = new StringBuilder(javaName.length() + 4);
        for (int i = 0; i < javaName.length(); i++) {
            char c = javaName.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                char prev = javaName.charAt(i - 1);
                if (Character.isLowerCase(prev) || Character.isDigit(prev)) {
                    sb.append('_');
                }
            }
            sb.append(c);
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
