package io.kjps.processor;

import static io.kjps.processor.TestCompiler.assertError;
import static io.kjps.processor.TestCompiler.compile;
import static io.kjps.processor.TestCompiler.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kjps.model.PluginRules;
import io.kjps.processor.TestCompiler.Result;
import io.kjps.processor.TestCompiler.Source;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mistake fails the build with an ERROR on the offending element (file and line), and no plugin file is
 * written for the plugin.
 */
class KongPluginProcessorErrorsTest {

    /** A plugin {@code p} whose config record has the given components (each on its own line). */
    static Source pluginWithConfig(String components) {
        return source("test.P", """
                package test;

                import io.kjps.pdk.Kong;
                import io.kjps.plugin.KongPhaseHandler;
                import io.kjps.plugin.KongPlugin;
                import io.kjps.plugin.config.*;
                import java.util.*;

                @KongPlugin(name = "p", version = "1.0.0", priority = 1)
                public class P implements KongPhaseHandler<P.Config> {
                    public enum Mode { FAST, SLOW }

                    public record Node(String name, List<Node> children) {}

                    public record A(B b) {}

                    public record B(List<A> as) {}

                    public record Pair(String name, int count) {}

                    public record Config(
                %s) {}

                    @Override
                    public void access(Kong kong, Config config) {}
                }
                """.formatted(components));
    }

    static Arguments error(String component, String... fragments) {
        return Arguments.of(component, fragments);
    }

    static Stream<Arguments> configErrors() {
        return Stream.of(
                // unsupported types
                error("java.util.Date when", "config field 'when' (config.when) of test.P.Config has type "
                        + "java.util.Date, which has no Kong schema type; supported are String, enums"),
                error("Object anything", "'anything'", "type java.lang.Object, which has no Kong schema type"),
                error("List<Object> things", "'things'", "java.util.List<java.lang.Object>, whose part "
                        + "java.lang.Object has no Kong schema type", "supported are"),
                error("List<? extends Number> nums", "'nums'", "whose part ? extends java.lang.Number"),
                error("@SuppressWarnings(\"rawtypes\") List raw", "'raw'", "type java.util.List",
                        "give the element type, e.g. List<String>"),
                error("Map<Integer, String> byCode", "'byCode'", "java.util.Map<java.lang.Integer,"
                        + "java.lang.String>", "Kong map keys are strings"),
                error("byte[] data", "'data'", "type byte[]", "binary data has no Kong type"),
                error("char letter", "'letter'", "type char"),
                error("Optional<String> maybe", "'maybe'", "java.util.Optional<java.lang.String>"),
                error("ArrayList<String> concrete", "'concrete'", "java.util.ArrayList<java.lang.String>"),
                error("Thread thread", "'thread'", "java.lang.Thread"),
                // names
                error("@Name(\"a.b\") String dotted", "@Name(\"a.b\") on config field 'dotted'",
                        "not a valid field name"),
                error("String x$y", "the Kong name 'x$y' derived from config field 'x$y'",
                        "(set one with @Name)"),
                // attributes on the wrong type
                error("@Between(min = 1, max = 2) String name", "@Between is not allowed on config field "
                        + "'name' (config.name) of test.P.Config, whose Kong type is string: Kong's metaschema "
                        + "allows between only on integer and number fields"),
                error("@OneOf({\"1\"}) boolean flag", "@OneOf is not allowed on config field 'flag'",
                        "Kong type is boolean"),
                error("@OneOf({\"FAST\"}) Mode mode", "@OneOf is not allowed on config field 'mode'",
                        "an enum field's one_of is the enum's constants"),
                error("@Gt(1) String text", "@Gt is not allowed on config field 'text'",
                        "Kong's gt validator compares numbers"),
                error("@LenMin(1) int count", "@LenMin is not allowed on config field 'count'",
                        "Kong type is integer"),
                error("@LenMax(1) Pair pair", "@LenMax is not allowed on config field 'pair'",
                        "Kong type is record"),
                error("@Match(\"^a\") List<String> items", "@Match is not allowed on config field 'items'",
                        "Kong type is array"),
                error("@StartsWith(\"a\") Map<String, String> headers", "@StartsWith is not allowed",
                        "'headers'", "Kong type is map"),
                error("@Uuid long id", "@Uuid is not allowed on config field 'id'"),
                error("@Referenceable List<String> secrets", "@Referenceable is not allowed on config field "
                        + "'secrets'", "vault references in string fields only"),
                error("@Encrypted List<Integer> pins", "@Encrypted is not allowed on config field 'pins'",
                        "arrays or sets of strings only"),
                error("@Encrypted double secret", "@Encrypted is not allowed on config field 'secret'"),
                // attribute values
                error("@Description(\"too short\") String x", "@Description of config field 'x'",
                        "is 9 bytes long (UTF-8): Kong requires 10 to 500"),
                error("@Description(\"" + "d".repeat(501) + "\") String x", "@Description of config "
                        + "field 'x'", "is 501 bytes long"),
                error("@Description(\"\u00e9\u00e9\u00e9\u00e9x\") String x", "@Description of config "
                        + "field 'x'", "is 9 bytes long (UTF-8)"),
                error("@Between(min = 5, max = 1) int n", "@Between of config field 'n'",
                        "min 5 is greater than max 1"),
                error("@Between(min = 0.5, max = 1) int n", "@Between of config field 'n'",
                        "min 0.5 must be a whole number on an integer field"),
                error("@Between(min = Double.NEGATIVE_INFINITY, max = 1) double n", "min must be a finite "
                        + "number"),
                error("@Gt(Double.NaN) double n", "@Gt of config field 'n'", "must be a finite number"),
                error("@OneOf({\"1\", \"two\"}) int n", "@OneOf of config field 'n'",
                        "\"two\" is not a whole number that fits the field's Java type"),
                error("@OneOf({\"1\", \"300\"}) byte n", "\"300\" is not a whole number that fits"),
                error("@OneOf({}) String s", "@OneOf of config field 's'", "needs at least one value"),
                error("@LenMin(-1) String s", "@LenMin of config field 's'", "must not be negative"),
                error("@LenMin(5) @LenMax(2) String s", "@LenMax of config field 's'",
                        "must not be negative or less than @LenMin"),
                error("@Match(\"\") String s", "@Match of config field 's'", "needs a Lua pattern"),
                // defaults
                error("@Default(\"[1,\") List<Integer> xs", "@Default(\"[1,\") of config field 'xs'",
                        "is not valid JSON (End of input at line 1 column 4 path $[1]): the default of a field of Kong type "
                        + "array is written as JSON, e.g. \"[]\""),
                error("@Default(\"seven\") int n", "@Default(\"seven\") of config field 'n'",
                        "is not valid JSON", "e.g. \"7\""),
                error("@Default(\"7.5\") int n", "@Default(\"7.5\") of config field 'n' (config.n) of "
                        + "test.P.Config does not fit the field: 7.5 is not a whole number (Kong type integer)"),
                error("@Default(\"300\") byte n", "300 is out of range for a Java byte"),
                error("@Default(\"1e39\") float n", "1e39 is out of range for a Java float"),
                error("@Default(\"\\\"x\\\"\") boolean b", "\"x\" is not true or false"),
                error("@Default(\"null\") Integer n", "null is not a value of Kong type integer"),
                error("@Default(\"{}\") List<String> xs", "{} is not a JSON array (Kong type array)"),
                error("@Default(\"[\\\"a\\\", 1]\") List<String> xs", "1 at [1] is not a JSON string"),
                error("@Default(\"[\\\"a\\\", \\\"a\\\"]\") Set<String> xs",
                        "\"a\" at [1] repeats an element of the set"),
                error("@Default(\"{\\\"a\\\": true}\") Map<String, Integer> m",
                        "true at .a is not a whole number"),
                error("@Default(\"{\\\"nme\\\": \\\"x\\\"}\") Pair pair",
                        "the record has no field \"nme\" (its fields: name, count)"),
                error("@Default(\"MEDIUM\") Mode mode", "\"MEDIUM\" is not one of the enum's constants "
                        + "FAST, SLOW"),
                error("@OneOf({\"a\", \"b\"}) @Default(\"c\") String s", "\"c\" is not one of its one_of "
                        + "values [\"a\",\"b\"]"),
                error("@Between(min = 1, max = 5) @Default(\"6\") int n", "6 is not between 1 and 5"),
                error("@Gt(0) @Default(\"0\") double n", "0 is not greater than 0"),
                error("@LenMin(3) @Default(\"\u00e9\") String s", "is shorter than len_min 3 (2 bytes of "
                        + "UTF-8)"),
                error("@LenMax(1) @Default(\"[1, 2]\") List<Integer> xs", "is longer than len_max 1 "
                        + "(2 elements)"),
                error("@StartsWith(\"https://\") @Default(\"http://x\") String url",
                        "\"http://x\" does not start with \"https://\""),
                error("@Uuid @Default(\"not-a-uuid\") String id", "\"not-a-uuid\" is not a UUID"),
                // Kong gives every string field without len_min the value 1 and checks each default against it
                error("@LenMin(1) @Default(\"\") String s", "is shorter than len_min 1 (0 bytes of UTF-8)"),
                error("@Default(\"[\\\"a\\\", \\\"\\\"]\") List<String> xs", "\"\" at [1] is empty, and Kong accepts no "
                        + "empty string in a field without len_min"),
                error("@Default(\"{\\\"k\\\": \\\"\\\"}\") Map<String, String> m", "\"\" at .k is empty"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("configErrors")
    void configMistakeIsAnErrorOnTheField(String component, String... fragments) {
        Source p = pluginWithConfig("            " + component);
        Result r = compile(p);
        r.assertSingleError(p, component, fragments);
        assertEquals(List.of(), r.pluginFiles());
    }

    @Test
    void everyMistakeIsReportedNotJustTheFirst() {
        Source p = pluginWithConfig("""
                            @Between(min = 1, max = 2) @Default("x") @Description("short") String first,
                            java.util.Date second,
                            @Default("oops") int third""");
        Result r = compile(p);
        List<Diagnostic<? extends JavaFileObject>> errors = r.errors();
        assertEquals(4, errors.size(), () -> TestCompiler.describe(errors));
        assertError(errors.get(0), p, "String first", "@Between is not allowed on config field 'first'");
        assertError(errors.get(1), p, "String first", "@Description of config field 'first'");
        assertError(errors.get(2), p, "java.util.Date second", "'second'", "java.util.Date");
        assertError(errors.get(3), p, "int third", "@Default(\"oops\") of config field 'third'");
        assertEquals(List.of(), r.pluginFiles());
    }

    @Test
    void aRecordThatContainsItselfIsAnErrorWhereTheCycleCloses() {
        Source p = pluginWithConfig("            Node root");
        Result r = compile(p);
        r.assertSingleError(p, "public record Node(", "config field config.root.children has type test.P.Node, "
                + "which contains itself (test.P.Node -> test.P.Node): a Kong schema cannot be recursive");
        assertEquals(List.of(), r.pluginFiles());

        Source q = pluginWithConfig("            A a");
        compile(q).assertSingleError(q, "public record B(", "config field config.a.b.as has type test.P.A, which "
                + "contains itself (test.P.A -> test.P.B -> test.P.A)");
    }

    @Test
    void clashingKongNamesAreAnError() {
        Source p = pluginWithConfig("""
                            String headerName,
                            @Name("header_name") String other""");
        compile(p).assertSingleError(p, "String other", "config field 'other' of test.P.Config has the Kong name "
                + "'header_name', which field 'headerName' already has; set a different @Name on one of them");
    }

    /** A plugin with the given annotation line, class declaration line and body. */
    static Source plugin(String className, String annotation, String declaration, String body) {
        return source("test." + className, """
                package test;

                import io.kjps.pdk.Kong;
                import io.kjps.plugin.KongPhaseHandler;
                import io.kjps.plugin.KongPlugin;
                import java.util.List;

                %s
                %s {
                %s
                }
                """.formatted(annotation, declaration, body));
    }

    static final String ACCESS = "    @Override public void access(Kong kong, Void config) {}";

    static Stream<Arguments> pluginErrors() {
        return Stream.of(
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.2.3.4\", priority = 1)",
                        "public class P implements KongPhaseHandler<Void>", ACCESS, "@KongPlugin",
                        new String[] {"@KongPlugin version \"1.2.3.4\" of test.P "
                            + PluginRules.versionProblem("1.2.3.4"),
                            "\"VERSION field does not follow the x.y.z format\""}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0-SNAPSHOT\", priority = 1)",
                        "public class P implements KongPhaseHandler<Void>", ACCESS, "@KongPlugin",
                        new String[] {"version \"1.0-SNAPSHOT\"", "Kong would load it as \"1.0\", not as written"}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"v1\", priority = 1)",
                        "public class P implements KongPhaseHandler<Void>", ACCESS, "@KongPlugin",
                        new String[] {"@KongPlugin version \"v1\" of test.P " + PluginRules.versionProblem("v1")}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"\", priority = 1)",
                        "public class P implements KongPhaseHandler<Void>", ACCESS, "@KongPlugin",
                        new String[] {"version \"\""}),
                Arguments.of("@KongPlugin(name = \"Hello World\", version = \"1.0.0\", priority = 1)",
                        "public class P implements KongPhaseHandler<Void>", ACCESS, "@KongPlugin",
                        new String[] {"@KongPlugin name \"Hello World\" of test.P is not a valid Kong plugin name: "
                            + "use lower-case letters a-z, digits, '-' and '_', starting with a letter or digit"}),
                Arguments.of("@KongPlugin(name = \"-x\", version = \"1.0.0\", priority = 1)",
                        "public class P implements KongPhaseHandler<Void>", ACCESS, "@KongPlugin",
                        new String[] {"name \"-x\""}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                        "public class P implements KongPhaseHandler<Void>",
                        "    public void handle(Kong kong, Void config) {}", "@KongPlugin",
                        new String[] {"@KongPlugin class test.P handles no phase: override at least one of "
                            + "certificate, rewrite, access, response, preread, log from io.kjps.plugin."
                            + "KongPhaseHandler"}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                        "public class P", ACCESS.replace("@Override ", ""), "@KongPlugin",
                        new String[] {"@KongPlugin class test.P does not implement io.kjps.plugin.KongPhaseHandler<C>"}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                        "class P implements KongPhaseHandler<Void>", ACCESS, "@KongPlugin",
                        new String[] {"@KongPlugin class test.P must be a concrete public class implementing "
                            + "io.kjps.plugin.KongPhaseHandler"}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                        "public abstract class P implements KongPhaseHandler<Void>", ACCESS, "@KongPlugin",
                        new String[] {"must be a concrete public class"}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                        "public interface P extends KongPhaseHandler<Void>", "", "@KongPlugin",
                        new String[] {"must be a concrete public class"}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                        "public class P<T> implements KongPhaseHandler<T>",
                        "    @Override public void access(Kong kong, T config) {}", "@KongPlugin",
                        new String[] {"@KongPlugin class test.P implements io.kjps.plugin.KongPhaseHandler<T>: its "
                            + "config type T must be a record or class (or Void for none), bound by the class itself"}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                        "public class P implements KongPhaseHandler<String>",
                        "    @Override public void access(Kong kong, String config) {}", "public class P implements",
                        new String[] {"the config type java.lang.String of test.P must be a record or a class"}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                        "public class P implements KongPhaseHandler<List<String>>",
                        "    @Override public void access(Kong kong, List<String> config) {}", "public class P implements",
                        new String[] {"the config type java.util.List<java.lang.String> of test.P"}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                        "public class P implements KongPhaseHandler<P.Config>",
                        "    public class Config { public String s; }\n"
                            + "    @Override public void access(Kong kong, Config config) {}", "public class P implements",
                        new String[] {"config class test.P.Config (at config) must be static: the server cannot "
                            + "create an inner class"}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                        "public class P implements KongPhaseHandler<P.Config>",
                        "    public static abstract class Config { public String s; }\n"
                            + "    @Override public void access(Kong kong, Config config) {}", "public class P implements",
                        new String[] {"config class test.P.Config (at config) must not be abstract"}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                        "public class P implements KongPhaseHandler<P.Config>",
                        "    public static class Config { public String s; Config(String s) { this.s = s; } }\n"
                            + "    @Override public void access(Kong kong, Config config) {}", "public class P implements",
                        new String[] {"config class test.P.Config (at config) needs a constructor without "
                            + "parameters"}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                        "public class P implements KongPhaseHandler<P.Config>",
                        "    public static class Config extends java.util.HashMap<String, String> {}\n"
                            + "    @Override public void access(Kong kong, Config config) {}", "public class P implements",
                        new String[] {"config class test.P.Config (at config) extends java.util.HashMap: a config "
                            + "class may only extend your own classes"}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                        "public class P implements KongPhaseHandler<P.Config>",
                        "    public static class Config { public final String s = \"x\";\n"
                            + "    }\n"
                            + "    @Override public void access(Kong kong, Config config) {}", "final String s",
                        new String[] {"config field 's' of test.P.Config must not be final"}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                        "public class P implements KongPhaseHandler<P.Config>",
                        "    public static class Config { @io.kjps.plugin.config.Required static String s;\n"
                            + "    }\n"
                            + "    @Override public void access(Kong kong, Config config) {}", "static String s",
                        new String[] {"@Required on static field 's' of test.P.Config has no effect"}),
                Arguments.of("@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                        "public class P implements KongPhaseHandler<P.Config>",
                        "    public static class Config { @io.kjps.plugin.config.Default(\"1\") transient int s;\n"
                            + "    }\n"
                            + "    @Override public void access(Kong kong, Config config) {}", "transient int s",
                        new String[] {"@Default on transient field 's' of test.P.Config has no effect"}));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("pluginErrors")
    void pluginMistakeIsAnErrorOnTheClass(String annotation, String declaration, String body, String marker,
            String[] fragments) {
        Source p = plugin("P", annotation, declaration, body);
        Result r = compile(p);
        r.assertSingleError(p, marker, fragments);
        assertEquals(List.of(), r.pluginFiles());
    }

    @Test
    void pluginNestedInANonStaticWayIsAnError() {
        Source p = plugin("Outer", "", "public class Outer", """
                    @KongPlugin(name = "p", version = "1.0.0", priority = 1)
                    public class Inner implements KongPhaseHandler<Void> {
                        @Override public void access(Kong kong, Void config) {}
                    }""");
        Result r = compile(p);
        r.assertSingleError(p, "@KongPlugin(", "@KongPlugin class test.Outer.Inner must be a top-level or static "
                + "nested class");
        assertEquals(List.of(), r.pluginFiles());
    }

    @Test
    void duplicatePluginNamesAreAnErrorOnTheSecond() {
        Source first = plugin("First", "@KongPlugin(name = \"dup\", version = \"1.0.0\", priority = 1)",
                "public class First implements KongPhaseHandler<Void>", ACCESS);
        Source second = plugin("Second", "@KongPlugin(name = \"dup\", version = \"2.0.0\", priority = 2)",
                "public class Second implements KongPhaseHandler<Void>", ACCESS);
        Result r = compile(first, second);
        r.assertSingleError(second, "@KongPlugin", "plugin name \"dup\" of test.Second is already used by "
                + "test.First in this compilation; Kong plugin names must be unique");
        // the first keeps its file
        assertEquals(List.of("META-INF/kong-java-pluginserver/plugins/dup.json"), r.pluginFiles());
        assertEquals("test.First", com.google.gson.JsonParser.parseString(r.plugin("dup")).getAsJsonObject()
                .get("Handler").getAsString());
    }

    @Test
    void anErrorInOnePluginDoesNotStopTheOthers() {
        Source bad = plugin("Bad", "@KongPlugin(name = \"bad\", version = \"x\", priority = 1)",
                "public class Bad implements KongPhaseHandler<Void>", ACCESS);
        Source good = plugin("Good", "@KongPlugin(name = \"good\", version = \"1\", priority = 1)",
                "public class Good implements KongPhaseHandler<Void>", ACCESS);
        Result r = compile(bad, good);
        r.assertSingleError(bad, "@KongPlugin", "version \"x\"");
        assertEquals(List.of("META-INF/kong-java-pluginserver/plugins/good.json"), r.pluginFiles());
    }

    @Test
    void aConfigTypeThatNeverResolvesIsAnError() {
        Source p = plugin("P", "@KongPlugin(name = \"p\", version = \"1.0.0\", priority = 1)",
                "public class P implements KongPhaseHandler<Missing>",
                "    @Override public void access(Kong kong, Missing config) {}");
        Result r = compile(p);
        List<Diagnostic<? extends JavaFileObject>> errors = r.errors();
        assertEquals(List.of(), r.pluginFiles());
        // javac's own "cannot find symbol" errors, and the processor's
        assertEquals(1, errors.stream().filter(d -> d.getMessage(null).equals(
                "cannot check @KongPlugin class test.P: type Missing does not resolve")).count(),
                () -> TestCompiler.describe(errors));
    }
}
