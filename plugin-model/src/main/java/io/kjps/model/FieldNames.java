package io.kjps.model;

import java.util.Locale;

/**
 * The rule that turns a Java field or record component name into the name of the field in Kong's schema and in the
 * config JSON Kong sends, when the element has no {@code @Name}.
 *
 * <p>The rule: insert {@code _} before every upper-case letter that directly follows a lower-case letter or a digit,
 * then lower-case the whole name ({@link String#toLowerCase(Locale)} with {@link Locale#ROOT}). Letters and digits
 * are classified by {@link Character#isUpperCase(int)}, {@link Character#isLowerCase(int)} and
 * {@link Character#isDigit(int)}, per code point. Examples: {@code headerName} becomes {@code header_name},
 * {@code maxRetries2} becomes {@code max_retries2}, {@code url} stays {@code url}, {@code URLPath} becomes
 * {@code urlpath}, {@code x1Y} becomes {@code x1_y}.
 *
 * <p>The only copy of the rule: the annotation processor names the schema's fields with it, the server's config
 * decoder looks them up with it and the test kit writes configs with it, so the three always agree.
 */
public final class FieldNames {

    private FieldNames() {
    }

    /**
     * Converts a Java name to its Kong field name.
     *
     * @param javaName a Java identifier
     * @return the Kong field name
     */
    public static String toKong(String javaName) {
        StringBuilder out = new StringBuilder(javaName.length() + 4);
        int previous = -1;
        for (int i = 0; i < javaName.length(); ) {
            int cp = javaName.codePointAt(i);
            if (Character.isUpperCase(cp) && previous != -1
                    && (Character.isLowerCase(previous) || Character.isDigit(previous))) {
                out.append('_');
            }
            out.appendCodePoint(cp);
            previous = cp;
            i += Character.charCount(cp);
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
