package io.kjps.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.Baseline.Info;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.FileResource;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bnd baselining of the exported API packages (issue 11, deliverable 3): the bundle this build made is compared
 * with the baseline, the API as last released ({@code api-bundle/baseline/}, docs/decisions.md "API baseline"),
 * and the build fails when a package changed more than its {@code package-info.java} version says: removing or
 * changing a method needs a major bump, adding one to a provider type a minor one.
 *
 * <p>Runs after {@code package}, on the jar itself, so it sees what plugin authors get.
 */
class ApiBaselineIT {

    private static final Path BUILT = Path.of(System.getProperty("kjps.api.jar", "missing"));
    private static final Path BASELINE = Path.of(System.getProperty("kjps.api.baseline", "missing"));

    /** Baselines {@code newer} against {@code older}; the packages whose version does not say what changed. */
    private static Map<String, String> mismatches(Jar newer, Jar older) throws Exception {
        try (Processor reporter = new Processor()) {
            Set<Info> infos = new Baseline(reporter, new DiffPluginImpl()).baseline(newer, older, null);
            assertFalse(infos.isEmpty(), "no exported package was compared");
            assertTrue(reporter.isOk(), "bnd reported: " + reporter.getErrors());
            Map<String, String> out = new TreeMap<>();
            for (Info i : infos) {
                if (i.mismatch) {
                    out.put(i.packageName, i.newerVersion + ", the change needs " + i.suggestedVersion
                            + (i.reason == null ? "" : " (" + i.reason + ")"));
                }
            }
            return out;
        }
    }

    @Test
    void everyExportedPackageVersionSaysWhatChangedSinceTheBaseline() throws Exception {
        assertTrue(Files.isRegularFile(BUILT), "the bundle: " + BUILT);
        assertTrue(Files.isRegularFile(BASELINE), "the baseline: " + BASELINE);
        try (Jar newer = new Jar(BUILT.toFile()); Jar older = new Jar(BASELINE.toFile())) {
            assertEquals(Map.of(), mismatches(newer, older), "an API package changed without the version bump"
                    + " its change needs: bump @Version in its package-info.java (docs/decisions.md, API baseline)");
        }
    }

    /** The proof that the check bites: the same bundle with one method removed from an exported interface. */
    @Test
    void removingAMethodWithoutAMajorBumpIsAMismatchAndTheBumpCuresIt(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("src/io/kjps/pdk/Router.java");
        Files.createDirectories(src.getParent());
        String router = Files.readString(Path.of("src/main/java/io/kjps/pdk/Router.java"), StandardCharsets.UTF_8);
        String without = router.replace("GatewayService getService();", "");
        assertTrue(without.length() < router.length(), "Router.getService() is the method this test removes");
        Files.writeString(src, without, StandardCharsets.UTF_8);
        Path classes = tmp.resolve("classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp",
                BUILT + File.pathSeparator + System.getProperty("java.class.path"), src.toString());
        assertEquals(0, rc, "javac");

        try (Jar built = new Jar(BUILT.toFile()); Jar changed = new Jar(BUILT.toFile())) {
            changed.putResource("io/kjps/pdk/Router.class",
                    new FileResource(classes.resolve("io/kjps/pdk/Router.class")));
            Map<String, String> found = mismatches(changed, built);
            assertEquals(List.of("io.kjps.pdk"), List.copyOf(found.keySet()), found.toString());
            String version = exportVersion(built, "io.kjps.pdk");
            int major = Integer.parseInt(version.split("\\.")[0]);
            assertTrue(found.get("io.kjps.pdk").contains("needs " + (major + 1) + ".0.0"), found.toString());

            setExportVersion(changed, "io.kjps.pdk", (major + 1) + ".0.0");
            assertEquals(Map.of(), mismatches(changed, built), "with the major bump the change is allowed");
        }
    }

    private static String exportVersion(Jar jar, String pkg) throws Exception {
        Parameters exports = new Parameters(jar.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE));
        return exports.get(pkg).getVersion();
    }

    private static void setExportVersion(Jar jar, String pkg, String version) throws Exception {
        Manifest m = jar.getManifest();
        Parameters exports = new Parameters(m.getMainAttributes().getValue(Constants.EXPORT_PACKAGE));
        exports.get(pkg).put(Constants.VERSION_ATTRIBUTE, version);
        m.getMainAttributes().putValue(Constants.EXPORT_PACKAGE, exports.toString());
        jar.setManifest(m);
    }
}
