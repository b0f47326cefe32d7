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
        // by code point, exactly as the processor does, so letters outside the BMP give the same names
        StringBuilder sb = new StringBuilder(javaName.length() + 4);
        int previous = -1;
        for (int i = 0; i < javaName.length(); ) {
            int cp = javaName.codePointAt(i);
            if (Character.isUpperCase(cp) && previous != -1
                    && (Character.isLowerCase(previous) || Character.isDigit(previous))) {
                sb.append('_');
            }
            sb.appendCodePoint(cp);
            previous = cp;
            i += Character.charCount(cp);
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
