package io.kjps.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kjps.launcher.internal.LauncherOptions.Action;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LauncherOptionsTest {

    private static final Path CWD = Path.of("/srv/kong");
    private static final Path HOME = Path.of("/opt/kjps");
    private static final Path TMP = Path.of("/var/tmp");

    private static LauncherOptions parse(String... args) throws UsageException {
        return LauncherOptions.parse(List.of(args), CWD, Optional.of(HOME), TMP);
    }

    private static String error(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void defaults() throws UsageException {
        LauncherOptions options = parse();
        assertEquals(new LauncherOptions(Action.SERVER, Optional.of(HOME), Path.of("/usr/local/kong"),
                Path.of("/usr/local/kong/kong-java-pluginserver.socket"), Path.of("/opt/kjps/deploy"),
                Path.of("/var/tmp"), null, false, false, LauncherOptions.Role.KEEPER), options);
    }

    @Test
    void roleIsKeeperUnlessAskedOtherwise() throws UsageException {
        assertEquals(LauncherOptions.Role.ALONE, parse("-no-keeper").role());
        assertEquals(LauncherOptions.Role.WORKER, parse("--worker").role());
        assertEquals(LauncherOptions.Role.WORKER, parse("-worker", "-worker").role());
        assertEquals("-no-keeper and -worker cannot be combined", error("-worker", "-no-keeper"));
        assertEquals("flag -no-keeper takes no value", error("-no-keeper=yes"));
    }

    @Test
    void oneAndTwoDashesMeanTheSame() throws UsageException {
        LauncherOptions single = parse("-kong-prefix", "/k", "-socket", "/k/s.sock", "-deploy", "/d", "-cache-dir",
                "/c", "-v", "-exit-with-parent");
        LauncherOptions dual = parse("--kong-prefix", "/k", "--socket", "/k/s.sock", "--deploy", "/d", "--cache-dir",
                "/c", "--v", "--exit-with-parent");
        LauncherOptions inline = parse("-kong-prefix=/k", "--socket=/k/s.sock", "-deploy=/d", "--cache-dir=/c", "-v",
                "--exit-with-parent");
        LauncherOptions expected = new LauncherOptions(Action.SERVER, Optional.of(HOME), Path.of("/k"),
                Path.of("/k/s.sock"), Path.of("/d"), Path.of("/c"), null, true, true, LauncherOptions.Role.KEEPER);
        assertEquals(expected, single);
        assertEquals(expected, dual);
        assertEquals(expected, inline);
    }

    @Test
    void socketDefaultFollowsKongPrefix() throws UsageException {
        assertEquals(Path.of("/var/kong/kong-java-pluginserver.socket"), parse("-kong-prefix", "/var/kong").socket());
    }

    @Test
    void relativePathsAreResolvedAgainstTheCurrentDirectory() throws UsageException {
        LauncherOptions options = parse("-kong-prefix", "prefix", "-socket", "../run/kjps.sock", "-deploy",
                "./plugins/", "-cache-dir", "cache");
        assertEquals(Path.of("/srv/kong/prefix"), options.kongPrefix());
        assertEquals(Path.of("/srv/run/kjps.sock"), options.socket());
        assertEquals(Path.of("/srv/kong/plugins"), options.deploy());
        assertEquals(Path.of("/srv/kong/cache"), options.cacheDir());
    }

    @Test
    void relativeHomeIsResolvedToo() throws UsageException {
        LauncherOptions options = LauncherOptions.parse(List.of(), CWD, Optional.of(Path.of("dist")), TMP);
        assertEquals(Optional.of(Path.of("/srv/kong/dist")), options.home());
        assertEquals(Path.of("/srv/kong/dist/deploy"), options.deploy());
    }

    @Test
    void dumpModes() throws UsageException {
        assertEquals(Action.DUMP, parse("-dump").mode());
        assertEquals(Action.DUMP, parse("--dump", "-dump").mode());
        LauncherOptions one = parse("-deploy", "/d", "-dump-plugin", "java-hello");
        assertEquals(Action.DUMP_PLUGIN, one.mode());
        assertEquals("java-hello", one.pluginName());
        assertEquals("block", parse("--dump-plugin=block").pluginName());
        assertEquals(Action.KONG_CONF, parse("--kong-conf").mode());
        assertNull(parse("-dump").pluginName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-h", "--h", "-help", "--help"})
    void helpActsAtOnce(String flag) throws UsageException {
        assertEquals(Action.HELP, parse(flag).mode());
        assertEquals(Action.HELP, parse("-v", flag, "-no-such-flag").mode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-version", "--version"})
    void version(String flag) throws UsageException {
        assertEquals(Action.VERSION, parse(flag).mode());
    }

    @Test
    void unknownFlag() {
        assertEquals("unknown flag: -nope", error("-nope"));
        assertEquals("unknown flag: --dump-all-plugins", error("--dump-all-plugins"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-socket", "--deploy", "-kong-prefix", "-cache-dir", "-dump-plugin"})
    void missingValue(String flag) {
        String name = flag.replaceFirst("^-+", "");
        assertEquals("flag -" + name + " needs a value", error(flag));
        assertEquals("flag -" + name + " needs a value", error(flag, "-v"));
        assertEquals("flag -" + name + " needs a value", error(flag + "="));
        assertEquals("flag -" + name + " needs a value", error(flag, ""));
    }

    @Test
    void booleanFlagsTakeNoValue() {
        assertEquals("flag -v takes no value", error("-v=true"));
        assertEquals("flag -dump takes no value", error("--dump=yes"));
    }

    @Test
    void positionalArgumentsAreRejected() {
        assertEquals("unexpected argument: shell", error("shell"));
        assertEquals("unexpected argument: extra", error("-dump", "extra"));
        assertEquals("unexpected argument: -", error("-"));
        assertEquals("unexpected argument: --", error("--"));
    }

    @Test
    void modesCannotBeCombined() {
        assertEquals("-dump and -kong-conf cannot be combined", error("-dump", "-kong-conf"));
        assertEquals("-dump-plugin and -dump cannot be combined", error("-dump-plugin", "x", "-dump"));
    }

    @Test
    void withoutHomeDeployMustBeGiven() throws UsageException {
        UsageException e = assertThrows(UsageException.class,
                () -> LauncherOptions.parse(List.of("-dump"), CWD, Optional.empty(), TMP));
        assertTrue(e.getMessage().contains("pass -deploy DIR"), e.getMessage());
        LauncherOptions options = LauncherOptions.parse(List.of("-dump", "-deploy", "d"), CWD, Optional.empty(), TMP);
        assertEquals(Path.of("/srv/kong/d"), options.deploy());
        assertFalse(options.home().isPresent());
    }

    @Test
    void lastRepeatedFlagWins() throws UsageException {
        assertEquals(Path.of("/b"), parse("-deploy", "/a", "--deploy", "/b").deploy());
    }
}
