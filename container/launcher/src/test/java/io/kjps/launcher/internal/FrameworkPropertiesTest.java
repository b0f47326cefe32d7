package io.kjps.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FrameworkPropertiesTest {

    @Test
    void properties() throws UsageException {
        LauncherOptions options = LauncherOptions.parse(List.of("-socket", "/k/s.sock", "-kong-prefix", "/k"),
                Path.of("/"), Optional.of(Path.of("/opt/kjps")), Path.of("/tmp"));
        Map<String, String> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("org.osgi.framework.storage", "/tmp/kong-java-pluginserver-7"),
                Map.entry("org.osgi.framework.storage.clean", "onFirstInit"),
                Map.entry("org.osgi.framework.bootdelegation", "sun.misc"),
                Map.entry("felix.log.level", "2"),
                Map.entry("felix.fileinstall.dir", "/opt/kjps/deploy"),
                Map.entry("felix.fileinstall.poll", "250"),
                Map.entry("felix.fileinstall.noInitialDelay", "true"),
                Map.entry("felix.fileinstall.filter", ".*\\.(jar|cfg)"),
                Map.entry("felix.fileinstall.enableConfigSave", "false"),
                Map.entry("felix.fileinstall.bundles.new.start", "true"),
                Map.entry("felix.fileinstall.tmpdir", "/tmp/kong-java-pluginserver-7/fileinstall-tmp"),
                Map.entry("felix.fileinstall.log.level", "2"),
                Map.entry("felix.fileinstall.log.default", "jul"),
                Map.entry("gosh.args", "--nointeractive"),
                Map.entry("kjps.socket", "/k/s.sock"),
                Map.entry("kjps.kong.prefix", "/k"),
                Map.entry("kjps.deploy", "/opt/kjps/deploy"),
                Map.entry("kjps.home", "/opt/kjps"),
                Map.entry("kjps.verbose", "false"),
                Map.entry("kjps.version", "9.9.9")));
        assertEquals(expected, new TreeMap<>(FrameworkProperties.build(options,
                CacheDirectory.of(options.cacheDir(), 7), "9.9.9")));
    }

    @Test
    void verbose() throws UsageException {
        LauncherOptions options = LauncherOptions.parse(List.of("-v"), Path.of("/"),
                Optional.of(Path.of("/opt/kjps")), Path.of("/tmp"));
        Map<String, String> properties = FrameworkProperties.build(options, Path.of("/tmp/c"), "1");
        assertEquals("4", properties.get("felix.log.level"));
        assertEquals("4", properties.get("felix.fileinstall.log.level"));
        assertEquals("true", properties.get("kjps.verbose"));
    }
}
