package io.kjps.model;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules a plugin's metadata must follow for Kong to load it, and where that metadata lives. This is the only
 * place these rules are written: the annotation processor refuses a plugin that breaks them at build time, and
 * the launcher ({@code -dump}), the socket bundle and the test kit refuse a descriptor that breaks them with the
 * same words.
 *
 * <p>Each check returns {@code null} for a good value, else the reason, phrased to follow the value's name
 * ({@code "version \"v1\" " + reason}); callers put their own context (class, jar, bundle) in front.
 */
public final class PluginRules {

    /** The class-path folder holding one {@code <name>.json} descriptor per plugin. */
    public static final String RESOURCE_DIRECTORY = "META-INF/kong-java-pluginserver/plugins/";

    /** The suffix of a descriptor's file name after the plugin name. */
    public static final String DESCRIPTOR_SUFFIX = ".json";

    /**
     * The phases an external plugin can declare, by Kong's names, in the order Kong lists them (and they are
     * written in a descriptor).
     */
    public static final List<String> PHASES = List.of("certificate", "rewrite", "access", "response", "preread",
            "log");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    /** What Kong's version parser takes from a string: the first run of digits and dots that starts with a digit. */
    private static final Pattern KONG_VERSION_RUN = Pattern.compile("[0-9][0-9.]*");

    /** The largest number of digits LuaJIT prints as they are ({@code %.14g}); longer numbers get an exponent. */
    private static final int LUA_PLAIN_DIGITS = 14;

    private PluginRules() {
    }

    /**
     * @param name a plugin name
     * @return the path of its descriptor on the class path, inside a jar
     */
    public static String descriptorPath(String name) {
        return RESOURCE_DIRECTORY + name + DESCRIPTOR_SUFFIX;
    }

    /**
     * The name rule: lower-case letters a-z, digits, {@code -} and {@code _}, starting with a letter or digit.
     * Kong loads a plugin by the name listed in kong.conf {@code plugins=} and uses it in its database and Admin
     * API paths; the rule keeps every name usable in all of them.
     *
     * @param name the plugin name
     * @return {@code null} when the name is valid, else why not
     */
    public static String nameProblem(String name) {
        if (name != null && NAME.matcher(name).matches()) {
            return null;
        }
        return "is not a valid Kong plugin name: use lower-case letters a-z, digits, '-' and '_', starting with a "
                + "letter or digit (Kong looks plugins up by this name, as listed in kong.conf plugins=)";
    }

    /**
     * The version rule: what Kong 3.x accepts and keeps exactly as written, i.e. one to three decimal numbers
     * separated by dots, without leading zeros and of at most 14 digits each ({@code 1}, {@code 0.1},
     * {@code 1.2.3}). See {@link #kongVersion(String)} for what Kong itself does with other strings and
     * docs/decisions.md for the evidence.
     *
     * @param version the plugin version
     * @return {@code null} when the version is valid, else why not
     */
    public static String versionProblem(String version) {
        String kong = version == null ? null : kongVersion(version);
        if (kong != null && kong.equals(version)) {
            return null;
        }
        String what = kong == null ? "Kong refuses to load it (\"VERSION field does not follow the x.y.z format\")"
                : "Kong would load it as \"" + kong + "\", not as written";
        return "is not a plugin version Kong keeps as written: " + what + "; use one to three numbers separated by "
                + "dots, without leading zeros, like 1.2.3 or 0.1";
    }

    /**
     * The phase rule: one of {@link #PHASES}.
     *
     * @param phase a phase name
     * @return {@code null} when it is one, else why not
     */
    public static String phaseProblem(String phase) {
        if (phase != null && PHASES.contains(phase)) {
            return null;
        }
        return "is not a phase Kong calls an external plugin in: one of " + String.join(", ", PHASES);
    }

    /**
     * The priority rule: a whole number that fits a Java {@code int}. Kong 3.x loads a plugin only when its
     * {@code PRIORITY} is a number that is not NaN, not infinite and whole ({@code kong/db/dao/plugins.lua},
     * {@code load_plugin_handler} / {@code valid_priority}: "PRIORITY field is not a valid integer number"); JSON
     * gives Kong the number as written, so {@code 5} and {@code 5.0} are the same priority. Kong takes larger whole
     * numbers too, but {@code @KongPlugin(priority)} is an {@code int}, so a descriptor outside that range was not
     * written by the processor.
     *
     * @param priority the priority as a decimal number ({@code null} when there is none)
     * @return {@code null} when it is valid, else why not
     */
    public static String priorityProblem(BigDecimal priority) {
        if (priority == null || priority.stripTrailingZeros().scale() > 0) {
            return "is not a priority Kong accepts: Kong loads a plugin only when its PRIORITY is a whole number";
        }
        if (priority.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0
                || priority.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            return "is not a priority of @KongPlugin: a priority is an int, from " + Integer.MIN_VALUE + " to "
                    + Integer.MAX_VALUE;
        }
        return null;
    }

    /**
     * What Kong 3.x makes of a plugin's {@code VERSION} when it loads the plugin: its {@code valid_version} parses
     * the string with the {@code version} rock's lenient parser (the first run of digits and dots starting with a
     * digit; each dot-separated piece a number; a single trailing dot ignored), refuses four or more numbers, and
     * replaces the version by the numbers joined with dots as LuaJIT prints them.
     *
     * @param version the declared version
     * @return the version Kong keeps, or {@code null} when Kong refuses to load the plugin
     */
    public static String kongVersion(String version) {
        Matcher run = KONG_VERSION_RUN.matcher(version);
        if (!run.find()) {
            return null;
        }
        String digits = run.group();
        if (digits.endsWith(".")) {
            digits = digits.substring(0, digits.length() - 1);
        }
        String[] pieces = digits.split("\\.", -1);
        if (pieces.length > 3) {
            return null;
        }
        List<String> numbers = new ArrayList<>();
        for (String piece : pieces) {
            if (piece.isEmpty()) {
                return null;
            }
            String plain = piece.replaceFirst("^0+(?=.)", "");
            numbers.add(plain.length() <= LUA_PLAIN_DIGITS ? plain : luaExponent(plain));
        }
        return String.join(".", numbers);
    }

    /** LuaJIT's {@code %.14g} of a whole number of more than 14 digits: {@code d.ddde+XX}. */
    private static String luaExponent(String digits) {
        BigDecimal rounded = new BigDecimal(digits).round(new MathContext(LUA_PLAIN_DIGITS, java.math.RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        String mantissa = rounded.unscaledValue().toString().replaceFirst("0+$", "");
        String m = mantissa.length() > 1 ? mantissa.charAt(0) + "." + mantissa.substring(1) : mantissa;
        return m + "e+" + (exponent < 10 ? "0" : "") + exponent;
    }
}
