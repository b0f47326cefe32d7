package io.kjps.processor;

import static io.kjps.processor.TestCompiler.compile;
import static io.kjps.processor.TestCompiler.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kjps.processor.TestCompiler.Result;
import io.kjps.processor.TestCompiler.Source;
import io.kjps.recordings.Recordings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** What the processor writes for valid plugins. */
class KongPluginProcessorTest {

    static final Source HELLO = source("test.Hello", """
            package test;

            import io.kjps.pdk.Kong;
            import io.kjps.plugin.KongPhaseHandler;
            import io.kjps.plugin.KongPlugin;
            import io.kjps.plugin.config.Default;
            import org.osgi.service.component.annotations.Component;

            @Component(service = KongPhaseHandler.class)
            @KongPlugin(name = "hello", version = "0.1.0", priority = 1000)
            public class Hello implements KongPhaseHandler<Hello.Config> {
                public record Config(@Default("hi") String greeting) {}

                @Override
                public void access(Kong kong, Config config) {
                    kong.response().setHeader("x-hello", config.greeting());
                }
            }
            """);

    static final Source PDKCHECK = source("test.PdkCheck", """
            package test;

            import io.kjps.pdk.Kong;
            import io.kjps.plugin.KongPhaseHandler;
            import io.kjps.plugin.KongPlugin;
            import io.kjps.plugin.config.Default;
            import java.util.List;

            @KongPlugin(name = "pdkcheck", version = "0.1.0", priority = 500)
            public class PdkCheck implements KongPhaseHandler<PdkCheck.Config> {
                public record Nested(@Default("7") int n) {}

                public record Config(@Default("dflt") String tag, @Default("[]") List<String> list, Nested nested) {}

                @Override
                public void log(Kong kong, Config config) {}

                @Override
                public void access(Kong kong, Config config) {}

                @Override
                public void response(Kong kong, Config config) {}
            }
            """);

    static final Source EVERY = source("test.Every", """
            package test;

            import io.kjps.pdk.Kong;
            import io.kjps.plugin.KongPhaseHandler;
            import io.kjps.plugin.KongPlugin;
            import io.kjps.plugin.config.*;
            import java.util.Collection;
            import java.util.List;
            import java.util.Map;
            import java.util.Set;

            @KongPlugin(name = "every-attribute", version = "2.0", priority = -5)
            public class Every implements KongPhaseHandler<Every.Config> {
                public enum Mode { FAST, SLOW }

                public record Inner(@Required String id, @Default("1") @Between(min = 1, max = 9) int weight) {}

                public record Config(
                        @Required @Description("The upstream URL to call.") @Referenceable @Encrypted
                        @StartsWith("https://") @Match("^https://") @LenMin(9) @LenMax(200)
                        @Default("https://example.com") String url,
                        @Name("retries") @Between(min = 0, max = 10) @Default("3") int maxRetries,
                        @Gt(0) @Between(min = 0, max = 1.5) @Default("0.5") double ratio,
                        @OneOf({"1", "2", "4"}) Integer factor,
                        @OneOf({"0.5", "1.25"}) Float scale,
                        @OneOf({"a", "b"}) @Default("a") String letter,
                        @Uuid @Default("0B5E1A0C-3C4D-4E5F-8A9B-0C1D2E3F4A5B") String id,
                        Mode mode,
                        @Default("SLOW") Mode fallbackMode,
                        @Default("true") boolean enabled,
                        @LenMax(3) @Default("[\\"x\\"]") Set<String> tags,
                        @Encrypted List<String> secrets,
                        @LenMin(1) @Default("{\\"a\\": 1}") Map<String, Integer> limits,
                        String[] hosts,
                        long big, float f, Short s, byte b, Long boxedLong, Double boxedDouble, Boolean boxedBoolean,
                        Collection<Double> weights,
                        Map<String, List<Inner>> groups,
                        @Default("{\\"id\\": \\"x\\"}") Inner inner,
                        List<Mode> modes,
                        @Default("[[1, 2], []]") List<int[]> matrix,
                        @Gt(-2.5) @Default("1e2") long hundred,
                        @Description("Non-ASCII text: \u00e9\u00e8 \u20ac \\"quoted\\" back\\\\slash\\ttab") String text) {}

                @Override
                public void rewrite(Kong kong, Config config) {}

                @Override
                public void certificate(Kong kong, Config config) {}

                @Override
                public void preread(Kong kong, Config config) {}
            }
            """);

    static final Source LOGGING_BASE = source("test.LoggingBase", """
            package test;

            import io.kjps.pdk.Kong;
            import io.kjps.plugin.KongPhaseHandler;

            public abstract class LoggingBase<C> implements KongPhaseHandler<C> {
                @Override
                public void log(Kong kong, C config) {}
            }
            """);

    static final Source BASE_CONFIG = source("test.BaseConfig", """
            package test;

            public class BaseConfig {
                public int baseValue;
                protected String headerName;
            }
            """);

    static final Source CLASSY = source("test.Classy", """
            package test;

            import io.kjps.pdk.Kong;
            import io.kjps.plugin.KongPhaseHandler;
            import io.kjps.plugin.KongPlugin;
            import io.kjps.plugin.config.Default;
            import io.kjps.plugin.config.Name;
            import java.util.List;

            @KongPlugin(name = "classy", version = "1.0.0", priority = 10)
            public class Classy implements KongPhaseHandler<Classy.Config> {
                public record Wrapper<T>(T value, List<T> values) {}

                public static class Config extends BaseConfig {
                    public static final int CONSTANT = 1;
                    public static String shared;
                    transient String cache;
                    private List<String> allowedIPs;
                    @Name("X-Mode") @Default("strict") String mode;
                    Wrapper<Integer> wrapped;
                }

                @Override
                public void access(Kong kong, Config config) {}
            }
            """);

    static final String HELLO_JSON = "{\"Kong\":{\"Name\":\"hello\",\"Version\":\"0.1.0\",\"Priority\":1000,"
            + "\"Phases\":[\"access\"],\"Schema\":{\"name\":\"hello\",\"fields\":[{\"config\":{\"type\":\"record\","
            + "\"fields\":[{\"greeting\":{\"type\":\"string\",\"default\":\"hi\"}}]}}]}},"
            + "\"Handler\":\"test.Hello\",\"ConfigType\":\"test.Hello$Config\""
                + ",\"Config\":[{\"Member\":\"greeting\",\"Name\":\"greeting\",\"Type\":\"string\",\"Default\":\"hi\"}]"
                + "}";

    /**
     * @param plugin a plugin of the recordings
     * @return its plugin object in the recorded dump of Kong's JavaScript server ({@code dumps/<plugin>.json})
     */
    static JsonObject recordedDump(String plugin) {
        try {
            return JsonParser.parseString(Files.readString(Recordings.file("dumps/" + plugin + ".json")))
                    .getAsJsonArray().get(0).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void helloPluginWithOneDefaultedStringAndTheAccessPhase() {
        Result r = compile(HELLO).assertClean();
        assertEquals(List.of("META-INF/kong-java-pluginserver/plugins/hello.json"), r.pluginFiles());
        String json = r.plugin("hello");
        assertEquals(HELLO_JSON, json);
        // the Kong object is what the reference server dumps (key order aside)
        assertEquals(recordedDump("hello"), JsonParser.parseString(json).getAsJsonObject().get("Kong"));
    }

    @Test
    void everyGeneratedFileObeysKongsMetaschema() {
        // TestCompiler checks every plugin file it sees; here explicitly, for all example plugins at once
        Result r = compile(HELLO, PDKCHECK, EVERY, BASE_CONFIG, CLASSY).assertClean();
        assertEquals(List.of("META-INF/kong-java-pluginserver/plugins/classy.json",
                "META-INF/kong-java-pluginserver/plugins/every-attribute.json",
                "META-INF/kong-java-pluginserver/plugins/hello.json",
                "META-INF/kong-java-pluginserver/plugins/pdkcheck.json"), r.pluginFiles());
        for (String name : List.of("classy", "every-attribute", "hello", "pdkcheck")) {
            KongMetaschemaCheck.assertValidPluginFile(r.plugin(name));
        }
    }

    @Test
    void javacFindsTheProcessorThroughMetaInfServices() {
        Result r = compile(false, HELLO).assertClean();
        assertEquals(HELLO_JSON, r.plugin("hello"));
    }

    static final String PDKCHECK_SCHEMA = "{\"name\":\"pdkcheck\",\"fields\":[{\"config\":{\"type\":\"record\","
            + "\"fields\":[{\"tag\":{\"type\":\"string\",\"default\":\"dflt\"}},{\"list\":{\"type\":\"array\","
            + "\"elements\":{\"type\":\"string\"},\"default\":[]}},{\"nested\":{\"type\":\"record\",\"fields\":"
            + "[{\"n\":{\"type\":\"integer\",\"default\":7}}]}}]}}]}";

    @Test
    void pdkcheckLikePluginListsPhasesInKongOrder() {
        String json = compile(PDKCHECK).assertClean().plugin("pdkcheck");
        assertEquals("{\"Kong\":{\"Name\":\"pdkcheck\",\"Version\":\"0.1.0\",\"Priority\":500,"
                + "\"Phases\":[\"access\",\"response\",\"log\"],\"Schema\":" + PDKCHECK_SCHEMA + "},"
                + "\"Handler\":\"test.PdkCheck\",\"ConfigType\":\"test.PdkCheck$Config\""
                + ",\"Config\":[{\"Member\":\"tag\",\"Name\":\"tag\",\"Type\":\"string\",\"Default\":\"dflt\"},{\"Membe"
                + "r\":\"list\",\"Name\":\"list\",\"Type\":\"array\",\"Default\":\"[]\",\"Elements\":{\"Type\":\"string"
                + "\"}},{\"Member\":\"nested\",\"Name\":\"nested\",\"Type\":\"record\",\"Fields\":[{\"Member\":\"n\",\""
                + "Name\":\"n\",\"Type\":\"integer\",\"Default\":\"7\"}]}]"
                + "}", json);
        // the schema is the one the JS server dumps; the phases are in Kong's order where the JS dump has its own
        assertEquals(recordedDump("pdkcheck").get("Schema"), JsonParser.parseString(PDKCHECK_SCHEMA));
    }

    @Test
    void pluginsWithoutConfigHaveAnEmptyConfigRecord() {
        Source voidConfig = source("test.Block", """
                package test;

                import io.kjps.pdk.Kong;
                import io.kjps.plugin.KongPhaseHandler;
                import io.kjps.plugin.KongPlugin;

                @KongPlugin(name = "block", version = "0.1.0", priority = 2000)
                public class Block implements KongPhaseHandler<Void> {
                    @Override
                    public void access(Kong kong, Void config) {}
                }
                """);
        Source raw = source("test.Outer", """
                package test;

                import io.kjps.pdk.Kong;
                import io.kjps.plugin.KongPhaseHandler;
                import io.kjps.plugin.KongPlugin;

                public class Outer {
                    @KongPlugin(name = "raw_1", version = "1", priority = -7)
                    @SuppressWarnings("rawtypes")
                    public static class Raw implements KongPhaseHandler {
                        @Override
                        public void preread(Kong kong, Object config) {}
                    }
                }
                """);
        Result r = compile(voidConfig, raw).assertClean();
        assertEquals(recordedDump("block"), JsonParser.parseString(r.plugin("block")).getAsJsonObject().get("Kong"));
        assertEquals("{\"Kong\":{\"Name\":\"block\",\"Version\":\"0.1.0\",\"Priority\":2000,"
                + "\"Phases\":[\"access\"],\"Schema\":{\"name\":\"block\",\"fields\":[{\"config\":{\"type\":\"record\","
                + "\"fields\":[]}}]}},\"Handler\":\"test.Block\",\"ConfigType\":null}", r.plugin("block"));
        assertEquals("{\"Kong\":{\"Name\":\"raw_1\",\"Version\":\"1\",\"Priority\":-7,"
                + "\"Phases\":[\"preread\"],\"Schema\":{\"name\":\"raw_1\",\"fields\":[{\"config\":{\"type\":\"record\","
                + "\"fields\":[]}}]}},\"Handler\":\"test.Outer$Raw\",\"ConfigType\":null}", r.plugin("raw_1"));
    }

    @Test
    void phasesOverriddenBySuperclassesAndSubInterfacesCount() {
        Source rewriting = source("test.Rewriting", """
                package test;

                import io.kjps.pdk.Kong;
                import io.kjps.plugin.KongPhaseHandler;

                public interface Rewriting<C> extends KongPhaseHandler<C> {
                    @Override
                    default void rewrite(Kong kong, C config) {}
                }
                """);
        Source plugin = source("test.Inherit", """
                package test;

                import io.kjps.plugin.KongPlugin;

                @KongPlugin(name = "inherit", version = "3.2.1", priority = 0)
                public final class Inherit extends LoggingBase<Inherit.Config> implements Rewriting<Inherit.Config> {
                    public record Config(boolean on) {}
                }
                """);
        assertEquals("{\"Kong\":{\"Name\":\"inherit\",\"Version\":\"3.2.1\",\"Priority\":0,"
                + "\"Phases\":[\"rewrite\",\"log\"],\"Schema\":{\"name\":\"inherit\",\"fields\":[{\"config\":"
                + "{\"type\":\"record\",\"fields\":[{\"on\":{\"type\":\"boolean\"}}]}}]}},"
                + "\"Handler\":\"test.Inherit\",\"ConfigType\":\"test.Inherit$Config\""
                + ",\"Config\":[{\"Member\":\"on\",\"Name\":\"on\",\"Type\":\"boolean\"}]"
                + "}",
                compile(LOGGING_BASE, rewriting, plugin).assertClean().plugin("inherit"));
    }

    @Test
    void everyAttributeAnnotationAndEveryType() {
        String inner = "{\"type\":\"record\",\"fields\":[{\"id\":{\"type\":\"string\",\"required\":true}},"
                + "{\"weight\":{\"type\":\"integer\",\"default\":1,\"between\":[1,9]}}]";
        String fields = "["
                + "{\"url\":{\"type\":\"string\",\"required\":true,\"default\":\"https://example.com\","
                + "\"description\":\"The upstream URL to call.\",\"len_min\":9,\"len_max\":200,\"match\":\"^https://\","
                + "\"starts_with\":\"https://\",\"referenceable\":true,\"encrypted\":true}},"
                + "{\"retries\":{\"type\":\"integer\",\"default\":3,\"between\":[0,10]}},"
                + "{\"ratio\":{\"type\":\"number\",\"default\":0.5,\"between\":[0,1.5],\"gt\":0}},"
                + "{\"factor\":{\"type\":\"integer\",\"one_of\":[1,2,4]}},"
                + "{\"scale\":{\"type\":\"number\",\"one_of\":[0.5,1.25]}},"
                + "{\"letter\":{\"type\":\"string\",\"default\":\"a\",\"one_of\":[\"a\",\"b\"]}},"
                + "{\"id\":{\"type\":\"string\",\"default\":\"0B5E1A0C-3C4D-4E5F-8A9B-0C1D2E3F4A5B\",\"uuid\":true}},"
                + "{\"mode\":{\"type\":\"string\",\"one_of\":[\"FAST\",\"SLOW\"]}},"
                + "{\"fallback_mode\":{\"type\":\"string\",\"one_of\":[\"FAST\",\"SLOW\"],\"default\":\"SLOW\"}},"
                + "{\"enabled\":{\"type\":\"boolean\",\"default\":true}},"
                + "{\"tags\":{\"type\":\"set\",\"elements\":{\"type\":\"string\"},\"default\":[\"x\"],\"len_max\":3}},"
                + "{\"secrets\":{\"type\":\"array\",\"elements\":{\"type\":\"string\"},\"encrypted\":true}},"
                + "{\"limits\":{\"type\":\"map\",\"keys\":{\"type\":\"string\"},\"values\":{\"type\":\"integer\"},"
                + "\"default\":{\"a\":1},\"len_min\":1}},"
                + "{\"hosts\":{\"type\":\"array\",\"elements\":{\"type\":\"string\"}}},"
                + "{\"big\":{\"type\":\"integer\"}},"
                + "{\"f\":{\"type\":\"number\"}},"
                + "{\"s\":{\"type\":\"integer\"}},"
                + "{\"b\":{\"type\":\"integer\"}},"
                + "{\"boxed_long\":{\"type\":\"integer\"}},"
                + "{\"boxed_double\":{\"type\":\"number\"}},"
                + "{\"boxed_boolean\":{\"type\":\"boolean\"}},"
                + "{\"weights\":{\"type\":\"array\",\"elements\":{\"type\":\"number\"}}},"
                + "{\"groups\":{\"type\":\"map\",\"keys\":{\"type\":\"string\"},\"values\":{\"type\":\"array\","
                + "\"elements\":" + inner + "}}}},"
                + "{\"inner\":" + inner + ",\"default\":{\"id\":\"x\"}}},"
                + "{\"modes\":{\"type\":\"array\",\"elements\":{\"type\":\"string\",\"one_of\":[\"FAST\",\"SLOW\"]}}},"
                + "{\"matrix\":{\"type\":\"array\",\"elements\":{\"type\":\"array\",\"elements\":{\"type\":\"integer\"}},"
                + "\"default\":[[1,2],[]]}},"
                + "{\"hundred\":{\"type\":\"integer\",\"default\":100,\"gt\":-2.5}},"
                + "{\"text\":{\"type\":\"string\",\"description\":\"Non-ASCII text: \u00e9\u00e8 \u20ac \\\"quoted\\\" "
                + "back\\\\slash\\ttab\"}}"
                + "]";
        assertEquals("{\"Kong\":{\"Name\":\"every-attribute\",\"Version\":\"2.0\",\"Priority\":-5,"
                + "\"Phases\":[\"certificate\",\"rewrite\",\"preread\"],\"Schema\":{\"name\":\"every-attribute\","
                + "\"fields\":[{\"config\":{\"type\":\"record\",\"fields\":" + fields + "}}]}},"
                + "\"Handler\":\"test.Every\",\"ConfigType\":\"test.Every$Config\""
                + ",\"Config\":[{\"Member\":\"url\",\"Name\":\"url\",\"Type\":\"string\",\"Default\":\"https://exam"
                + "ple.com\",\"Attributes\":{\"required\":true,\"description\":\"The upstream URL to call.\",\"len_"
                + "min\":9,\"len_max\":200,\"match\":\"^https://\",\"starts_with\":\"https://\",\"referenceable\":t"
                + "rue,\"encrypted\":true}},{\"Member\":\"maxRetries\",\"Name\":\"retries\",\"Type\":\"integer\",\""
                + "Default\":\"3\",\"Attributes\":{\"between\":[0,10]}},{\"Member\":\"ratio\",\"Name\":\"ratio\",\""
                + "Type\":\"number\",\"Default\":\"0.5\",\"Attributes\":{\"between\":[0,1.5],\"gt\":0}},{\"Member\""
                + ":\"factor\",\"Name\":\"factor\",\"Type\":\"integer\",\"Attributes\":{\"one_of\":[1,2,4]}},{\"Mem"
                + "ber\":\"scale\",\"Name\":\"scale\",\"Type\":\"number\",\"Attributes\":{\"one_of\":[0.5,1.25]}},{"
                + "\"Member\":\"letter\",\"Name\":\"letter\",\"Type\":\"string\",\"Default\":\"a\",\"Attributes\":{"
                + "\"one_of\":[\"a\",\"b\"]}},{\"Member\":\"id\",\"Name\":\"id\",\"Type\":\"string\",\"Default\":\""
                + "0B5E1A0C-3C4D-4E5F-8A9B-0C1D2E3F4A5B\",\"Attributes\":{\"uuid\":true}},{\"Member\":\"mode\",\"Na"
                + "me\":\"mode\",\"Type\":\"string\"},{\"Member\":\"fallbackMode\",\"Name\":\"fallback_mode\",\"Typ"
                + "e\":\"string\",\"Default\":\"SLOW\"},{\"Member\":\"enabled\",\"Name\":\"enabled\",\"Type\":\"boo"
                + "lean\",\"Default\":\"true\"},{\"Member\":\"tags\",\"Name\":\"tags\",\"Type\":\"set\",\"Default\""
                + ":\"[\\\"x\\\"]\",\"Elements\":{\"Type\":\"string\"},\"Attributes\":{\"len_max\":3}},{\"Member\":"
                + "\"secrets\",\"Name\":\"secrets\",\"Type\":\"array\",\"Elements\":{\"Type\":\"string\"},\"Attribu"
                + "tes\":{\"encrypted\":true}},{\"Member\":\"limits\",\"Name\":\"limits\",\"Type\":\"map\",\"Defaul"
                + "t\":\"{\\\"a\\\":1}\",\"Values\":{\"Type\":\"integer\"},\"Attributes\":{\"len_min\":1}},{\"Membe"
                + "r\":\"hosts\",\"Name\":\"hosts\",\"Type\":\"array\",\"Elements\":{\"Type\":\"string\"}},{\"Membe"
                + "r\":\"big\",\"Name\":\"big\",\"Type\":\"integer\"},{\"Member\":\"f\",\"Name\":\"f\",\"Type\":\"n"
                + "umber\"},{\"Member\":\"s\",\"Name\":\"s\",\"Type\":\"integer\"},{\"Member\":\"b\",\"Name\":\"b\""
                + ",\"Type\":\"integer\"},{\"Member\":\"boxedLong\",\"Name\":\"boxed_long\",\"Type\":\"integer\"},{"
                + "\"Member\":\"boxedDouble\",\"Name\":\"boxed_double\",\"Type\":\"number\"},{\"Member\":\"boxedBoo"
                + "lean\",\"Name\":\"boxed_boolean\",\"Type\":\"boolean\"},{\"Member\":\"weights\",\"Name\":\"weigh"
                + "ts\",\"Type\":\"array\",\"Elements\":{\"Type\":\"number\"}},{\"Member\":\"groups\",\"Name\":\"gr"
                + "oups\",\"Type\":\"map\",\"Values\":{\"Type\":\"array\",\"Elements\":{\"Type\":\"record\",\"Field"
                + "s\":[{\"Member\":\"id\",\"Name\":\"id\",\"Type\":\"string\",\"Attributes\":{\"required\":true}},"
                + "{\"Member\":\"weight\",\"Name\":\"weight\",\"Type\":\"integer\",\"Default\":\"1\",\"Attributes\""
                + ":{\"between\":[1,9]}}]}}},{\"Member\":\"inner\",\"Name\":\"inner\",\"Type\":\"record\",\"Default"
                + "\":\"{\\\"id\\\":\\\"x\\\"}\",\"Fields\":[{\"Member\":\"id\",\"Name\":\"id\",\"Type\":\"string\""
                + ",\"Attributes\":{\"required\":true}},{\"Member\":\"weight\",\"Name\":\"weight\",\"Type\":\"integ"
                + "er\",\"Default\":\"1\",\"Attributes\":{\"between\":[1,9]}}]},{\"Member\":\"modes\",\"Name\":\"mo"
                + "des\",\"Type\":\"array\",\"Elements\":{\"Type\":\"string\"}},{\"Member\":\"matrix\",\"Name\":\"m"
                + "atrix\",\"Type\":\"array\",\"Default\":\"[[1,2],[]]\",\"Elements\":{\"Type\":\"array\",\"Element"
                + "s\":{\"Type\":\"integer\"}}},{\"Member\":\"hundred\",\"Name\":\"hundred\",\"Type\":\"integer\",\""
                + "Default\":\"100\",\"Attributes\":{\"gt\":-2.5}},{\"Member\":\"text\",\"Name\":\"text\",\"Type\":"
                + "\"string\",\"Attributes\":{\"description\":\"Non-ASCII text: \u00e9\u00e8 \u20ac \\\"quoted\\\" back\\\\slash\\"
                + "ttab\"}}]"
                + "}",
                compile(EVERY).assertClean().plugin("every-attribute"));
    }

    @Test
    void configClassesUseInheritedNonStaticNonTransientFieldsAndGenericRecordsTheirArguments() {
        assertEquals("{\"Kong\":{\"Name\":\"classy\",\"Version\":\"1.0.0\",\"Priority\":10,"
                + "\"Phases\":[\"access\"],\"Schema\":{\"name\":\"classy\",\"fields\":[{\"config\":{\"type\":\"record\","
                + "\"fields\":[{\"base_value\":{\"type\":\"integer\"}},{\"header_name\":{\"type\":\"string\"}},"
                + "{\"allowed_ips\":{\"type\":\"array\",\"elements\":{\"type\":\"string\"}}},"
                + "{\"X-Mode\":{\"type\":\"string\",\"default\":\"strict\"}},"
                + "{\"wrapped\":{\"type\":\"record\",\"fields\":[{\"value\":{\"type\":\"integer\"}},"
                + "{\"values\":{\"type\":\"array\",\"elements\":{\"type\":\"integer\"}}}]}}]}}]}},"
                + "\"Handler\":\"test.Classy\",\"ConfigType\":\"test.Classy$Config\""
                + ",\"Config\":[{\"Member\":\"baseValue\",\"Name\":\"base_value\",\"Type\":\"integer\"},{\"Member\":\"h"
                + "eaderName\",\"Name\":\"header_name\",\"Type\":\"string\"},{\"Member\":\"allowedIPs\",\"Name\":\"allo"
                + "wed_ips\",\"Type\":\"array\",\"Elements\":{\"Type\":\"string\"}},{\"Member\":\"mode\",\"Name\":\"X-M"
                + "ode\",\"Type\":\"string\",\"Default\":\"strict\"},{\"Member\":\"wrapped\",\"Name\":\"wrapped\",\"Typ"
                + "e\":\"record\",\"Fields\":[{\"Member\":\"value\",\"Name\":\"value\",\"Type\":\"integer\"},{\"Member\""
                + ":\"values\",\"Name\":\"values\",\"Type\":\"array\",\"Elements\":{\"Type\":\"integer\"}}]}]"
                + "}",
                compile(BASE_CONFIG, CLASSY).assertClean().plugin("classy"));
    }

    @Test
    void aRecordUsedTwiceIsNotACycle() {
        Source plugin = source("test.Twice", """
                package test;

                import io.kjps.pdk.Kong;
                import io.kjps.plugin.KongPhaseHandler;
                import io.kjps.plugin.KongPlugin;

                @KongPlugin(name = "twice", version = "1.0.0", priority = 10)
                public class Twice implements KongPhaseHandler<Twice.Config> {
                    public record Point(int x) {}

                    public record Config(Point from, Point to) {}

                    @Override
                    public void log(Kong kong, Config config) {}
                }
                """);
        String point = "{\"type\":\"record\",\"fields\":[{\"x\":{\"type\":\"integer\"}}]}";
        assertEquals("{\"Kong\":{\"Name\":\"twice\",\"Version\":\"1.0.0\",\"Priority\":10,"
                + "\"Phases\":[\"log\"],\"Schema\":{\"name\":\"twice\",\"fields\":[{\"config\":{\"type\":\"record\","
                + "\"fields\":[{\"from\":" + point + "},{\"to\":" + point + "}]}}]}},"
                + "\"Handler\":\"test.Twice\",\"ConfigType\":\"test.Twice$Config\""
                + ",\"Config\":[{\"Member\":\"from\",\"Name\":\"from\",\"Type\":\"record\",\"Fields\":[{\"Member\":\"x\""
                + ",\"Name\":\"x\",\"Type\":\"integer\"}]},{\"Member\":\"to\",\"Name\":\"to\",\"Type\":\"record\",\"Fie"
                + "lds\":[{\"Member\":\"x\",\"Name\":\"x\",\"Type\":\"integer\"}]}]"
                + "}",
                compile(plugin).assertClean().plugin("twice"));
    }

    @Test
    void severalPluginsInOneCompilationEachGetAFile() {
        Source other = source("test.Other", """
                package test;

                import io.kjps.pdk.Kong;
                import io.kjps.plugin.KongPhaseHandler;
                import io.kjps.plugin.KongPlugin;

                @KongPlugin(name = "other", version = "0.0.1", priority = 1)
                public class Other implements KongPhaseHandler<Void> {
                    @Override
                    public void log(Kong kong, Void config) {}
                }
                """);
        Result r = compile(HELLO, other).assertClean();
        assertEquals(List.of("META-INF/kong-java-pluginserver/plugins/hello.json",
                "META-INF/kong-java-pluginserver/plugins/other.json"), r.pluginFiles());
        assertEquals(HELLO_JSON, r.plugin("hello"));
    }

    /** Generates {@code test.GeneratedConfig} in the first round, as another annotation processor might. */
    static final class ConfigGenerator extends AbstractProcessor {
        private boolean done;

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("*");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            if (!done) {
                done = true;
                try {
                    JavaFileObject f = processingEnv.getFiler().createSourceFile("test.GeneratedConfig");
                    try (Writer w = f.openWriter()) {
                        w.write("package test; public record GeneratedConfig("
                                + "@io.kjps.plugin.config.Default(\"x\") String value) {}");
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
            return false;
        }
    }

    @Test
    void aConfigTypeMadeByAnotherProcessorIsWaitedFor() {
        Source plugin = source("test.Later", """
                package test;

                import io.kjps.pdk.Kong;
                import io.kjps.plugin.KongPhaseHandler;
                import io.kjps.plugin.KongPlugin;

                @KongPlugin(name = "later", version = "1.0.0", priority = 1)
                public class Later implements KongPhaseHandler<GeneratedConfig> {
                    @Override
                    public void access(Kong kong, GeneratedConfig config) {}
                }
                """);
        Result r = compile(List.of(new ConfigGenerator()), plugin).assertClean();
        assertEquals("{\"Kong\":{\"Name\":\"later\",\"Version\":\"1.0.0\",\"Priority\":1,"
                + "\"Phases\":[\"access\"],\"Schema\":{\"name\":\"later\",\"fields\":[{\"config\":{\"type\":\"record\","
                + "\"fields\":[{\"value\":{\"type\":\"string\",\"default\":\"x\"}}]}}]}},"
                + "\"Handler\":\"test.Later\",\"ConfigType\":\"test.GeneratedConfig\""
                + ",\"Config\":[{\"Member\":\"value\",\"Name\":\"value\",\"Type\":\"string\",\"Default\":\"x\"}]"
                + "}", r.plugin("later"));
    }
}
