package io.kjps.processor.internal;

import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The processor's JSON, read and written by Gson's streaming reader and writer (carried inside the processor jar,
 * see docs/decisions.md), with the number form the descriptors and so the {@code -dump} output have always had.
 *
 * <p>Values are {@code null}, {@link String}, {@link Boolean}, {@link Number}, {@code List<?>} and
 * {@code Map<String, ?>} (written in iteration order). The writer is compact (no spaces). Numbers: integral values
 * are written without a decimal point; other doubles in their shortest decimal form that reads back as the same
 * double (see {@link #formatDouble(double)}). Strings are escaped by Gson (without HTML escaping); a lone surrogate,
 * which has no UTF-8 form, is written as a backslash-u escape.
 *
 * <p>The reader accepts exactly RFC 8259 JSON (Gson's strict mode). Objects become {@link LinkedHashMap}s (a
 * repeated key is an error), arrays {@link ArrayList}s, numbers {@link BigDecimal}s.
 */
public final class Json {

    private static final BigDecimal PLAIN_INTEGER_LIMIT = new BigDecimal("1e21");

    private Json() {
    }

    /**
     * Writes a value as compact JSON.
     *
     * @param value the value
     * @return the JSON text
     * @throws IllegalArgumentException for a value that has no JSON form (a non-finite number, another type)
     */
    public static String write(Object value) {
        StringWriter text = new StringWriter(256);
        try (JsonWriter out = new JsonWriter(text)) {
            out.setStrictness(Strictness.STRICT);
            write(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return escapeLoneSurrogates(text.toString());
    }

    private static void write(Object value, JsonWriter out) throws IOException {
        if (value == null) {
            out.nullValue();
        } else if (value instanceof String s) {
            out.value(s);
        } else if (value instanceof Boolean b) {
            out.value(b.booleanValue());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            out.jsonValue(value.toString());
        } else if (value instanceof Double || value instanceof Float) {
            out.jsonValue(formatDouble(((Number) value).doubleValue()));
        } else if (value instanceof BigDecimal d) {
            out.jsonValue(formatDecimal(d));
        } else if (value instanceof Map<?, ?> map) {
            out.beginObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.name((String) e.getKey());
                write(e.getValue(), out);
            }
            out.endObject();
        } else if (value instanceof List<?> list) {
            out.beginArray();
            for (Object item : list) {
                write(item, out);
            }
            out.endArray();
        } else {
            throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    /** Lone surrogates occur only inside strings, so escaping them in the finished text is exact. */
    private static String escapeLoneSurrogates(String json) {
        StringBuilder out = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < json.length()
                    && Character.isLowSurrogate(json.charAt(i + 1));
            if (pair) {
                if (out != null) {
                    out.append(c).append(json.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(json.length() + 8).append(json, 0, i);
                }
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? json : out.toString();
    }

    /**
     * Formats a finite double: an integral value below 10^21 in magnitude as a plain integer ({@code 7},
     * {@code -3}, {@code 0} also for -0.0); any other value as the fewest significant digits that read back as the
     * same double (correctly rounded from the exact binary value, half-even, so the result does not depend on the
     * JDK), plain when the decimal exponent is from -7 to 20 ({@code 0.1}, {@code 2.5}), otherwise as
     * {@code <digits>e<exponent>} ({@code 1.5e-8}, {@code 1e21}).
     *
     * @param d the value
     * @return its JSON text
     * @throws IllegalArgumentException for NaN and infinities
     */
    public static String formatDouble(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no " + d);
        }
        if (d == 0) {
            return "0";
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == d) {
                shortest = r;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent >= -7 && exponent <= 20) {
            return shortest.toPlainString();
        }
        String digits = shortest.unscaledValue().abs().toString();
        StringBuilder out = new StringBuilder();
        if (shortest.signum() < 0) {
            out.append('-');
        }
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        return out.append('e').append(exponent).toString();
    }

    private static String formatDecimal(BigDecimal d) {
        if (d.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.abs().compareTo(PLAIN_INTEGER_LIMIT) < 0) {
            return stripped.toBigIntegerExact().toString();
        }
        return formatDouble(d.doubleValue());
    }

    /**
     * Reads one JSON value; surrounding whitespace is allowed, anything else after the value is an error.
     *
     * @param text the JSON text
     * @return the value
     * @throws JsonException when the text is not JSON
     */
    public static Object parse(String text) throws JsonException {
        try {
            JsonReader in = new JsonReader(new StringReader(text));
            in.setStrictness(Strictness.STRICT);
            Object value = read(in);
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonException("unexpected text after the value at " + in.getPath());
            }
            return value;
        } catch (IOException | IllegalStateException | JsonParseException | NumberFormatException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            // Gson adds a troubleshooting link on a line of its own
            throw new JsonException(message.lines().findFirst().orElse(message));
        }
    }

    private static Object read(JsonReader in) throws IOException, JsonException {
        switch (in.peek()) {
            case BEGIN_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                in.beginObject();
                while (in.hasNext()) {
                    String key = in.nextName();
                    if (map.containsKey(key)) {
                        throw new JsonException("repeated key \"" + key + "\" at " + in.getPath());
                    }
                    map.put(key, read(in));
                }
                in.endObject();
                return map;
            }
            case BEGIN_ARRAY: {
                List<Object> list = new ArrayList<>();
                in.beginArray();
                while (in.hasNext()) {
                    list.add(read(in));
                }
                in.endArray();
                return list;
            }
            case STRING:
                return in.nextString();
            case NUMBER:
                return new BigDecimal(in.nextString());
            case BOOLEAN:
                return in.nextBoolean();
            case NULL:
                in.nextNull();
                return null;
            default:
                throw new JsonException("unexpected " + in.peek() + " at " + in.getPath());
        }
    }

    /** A JSON text that could not be read: the message says what and where. */
    public static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }
}
