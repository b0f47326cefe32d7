package io.kjps.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ops4j.pax.exam.Constants;
import org.ops4j.pax.exam.Option;

/**
 * The distribution under test, {@code container/target/kong-java-pluginserver}, named by the system property
 * {@value #DIST_DIR} (failsafe passes it), and the pax-exam options that run it the way the launcher does: the
 * jars of {@code system/} in {@code startup.list} order, then the plugin jars of {@code deploy/}.
 *
 * <p>pax-exam provisions its own bundles by {@code mvn:} URLs (the link files of pax-exam-link-mvn). They are
 * resolved from the local Maven repository only, named by {@value #LOCAL_REPOSITORY}: no remote repository is
 * configured and pax-url's fallback repositories are off, so a missing bundle fails the test instead of reaching out
 * to the network. The pom declares those bundles as dependencies, which makes Maven download them.
 */
final class Distribution {
    /** System property: the distribution directory. */
    static final String DIST_DIR = "kjps.dist.dir";
    /** System property: the local Maven repository ({@code settings.localRepository}). */
    static final String LOCAL_REPOSITORY = "kjps.maven.localRepository";
    /** Where the annotation processor puts a plugin's descriptor inside its jar. */
    static final String DESCRIPTOR_DIRECTORY = "META-INF/kong-java-pluginserver/plugins/";

    /** Start level of the {@code system/} bundles: after pax-exam's own (2), before the plugins. */
    private static final int SYSTEM_START_LEVEL = Constants.START_LEVEL_DEFAULT_PROVISION;
    /** Start level of the {@code deploy/} bundles: after the system ones (FileInstall deploys them later too). */
    private static final int DEPLOY_START_LEVEL = Constants.START_LEVEL_DEFAULT_PROVISION + 1;
    /** Unix socket paths are limited to 107 bytes (sun_path). */
    private static final int MAX_SOCKET_PATH_BYTES = 107;

    private Distribution() {
    }

    /**
     * The framework for one test class: a fresh socket path, the distribution's bundles and pax-exam's.
     *
     * @param frameworkProperties extra framework properties, for example {@code kjps.plugin.wait.ms}
     * @return the options for a {@code @Configuration} method
     */
    static Option[] options(Map<String, String> frameworkProperties) {
        Path home = home();
        List<Option> options = new ArrayList<>();
        options.addAll(localRepositoryOnly());

        options.add(frameworkProperty("kjps.socket").value(freshSocketPath().toString()));
        // as the launcher: msgpack-core uses its Unsafe-based buffer only when sun.misc is visible to bundles
        options.add(frameworkProperty("org.osgi.framework.bootdelegation").value("sun.misc"));
        // FileInstall (a system bundle) watches an empty folder: the plugins are provisioned below, exactly once
        options.add(frameworkProperty("felix.fileinstall.dir").value(emptyDirectory().toString()));
        options.add(frameworkProperty(DIST_DIR).value(home.toString()));
        frameworkProperties.forEach((k, v) -> options.add(frameworkProperty(k).value(v)));

        // pax-exam's bundles log through slf4j (pax.exam.logging=none in exam.properties)
        options.add(mavenBundle("org.slf4j", "slf4j-api").versionAsInProject()
                .startLevel(Constants.START_LEVEL_SYSTEM_BUNDLES));
        options.add(mavenBundle("org.slf4j", "slf4j-simple").versionAsInProject()
                .startLevel(Constants.START_LEVEL_SYSTEM_BUNDLES));
        options.add(junitBundles());

        for (Path jar : systemBundles(home)) {
            options.add(bundle(jar.toUri().toString()).startLevel(SYSTEM_START_LEVEL));
        }
        for (Path jar : deployBundles(home)) {
            options.add(bundle(jar.toUri().toString()).startLevel(DEPLOY_START_LEVEL));
        }
        return options.toArray(new Option[0]);
    }

    /**
     * pax-url's configuration, read from system properties by its {@code mvn:} URL handler, which the native
     * container runs on the test class path.
     */
    private static List<Option> localRepositoryOnly() {
        String repo = System.getProperty(LOCAL_REPOSITORY);
        if (repo == null || repo.isBlank()) {
            throw new IllegalStateException("system property " + LOCAL_REPOSITORY + " (the local Maven repository) is"
                    + " not set: run these tests with mvn verify, whose failsafe configuration passes"
                    + " ${settings.localRepository}");
        }
        return List.of(
                systemProperty("org.ops4j.pax.url.mvn.localRepository").value(repo),
                systemProperty("org.ops4j.pax.url.mvn.repositories").value(""),
                systemProperty("org.ops4j.pax.url.mvn.defaultRepositories").value(""),
                systemProperty("org.ops4j.pax.url.mvn.useFallbackRepositories").value("false"),
                systemProperty("org.ops4j.pax.url.mvn.offline").value("true"));
    }

    /** @return the distribution directory, checked */
    static Path home() {
        String dir = System.getProperty(DIST_DIR);
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException("system property " + DIST_DIR + " is not set: run these tests with"
                    + " mvn verify, whose failsafe configuration names the distribution the container module builds");
        }
        Path home = Paths.get(dir).toAbsolutePath().normalize();
        if (!Files.isRegularFile(home.resolve("system").resolve("startup.list"))) {
            throw new IllegalStateException("no distribution at " + home + " (system/startup.list is missing):"
                    + " build the container module first");
        }
        return home;
    }

    /**
     * @param home the distribution
     * @return the jars of {@code system/startup.list}, in its order (blank lines and {@code #} comments skipped)
     */
    static List<Path> systemBundles(Path home) {
        Path system = home.resolve("system");
        List<Path> jars = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(system.resolve("startup.list"), StandardCharsets.UTF_8)) {
                String entry = line.strip();
                if (entry.isEmpty() || entry.startsWith("#")) {
                    continue;
                }
                Path jar = system.resolve(entry);
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException("startup.list names " + entry + ", which is not in " + system);
                }
                jars.add(jar);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jars;
    }

    /**
     * @param home the distribution
     * @return the jars of {@code deploy/}, by name
     */
    static List<Path> deployBundles(Path home) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(home.resolve("deploy"), "*.jar")) {
            dir.forEach(jars::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jars.sort(null);
        return jars;
    }

    /** A socket path that is new and short enough for a unix socket, removed when the JVM exits. */
    private static Path freshSocketPath() {
        String name = "kjps-" + UUID.randomUUID().toString().substring(0, 8) + ".sock";
        Path socket = Paths.get(System.getProperty("java.io.tmpdir"), name).toAbsolutePath();
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            throw new IllegalStateException("socket path " + socket + " is longer than " + MAX_SOCKET_PATH_BYTES
                    + " bytes; run the tests with a shorter java.io.tmpdir");
        }
        // the server never removes its socket file (a newer server may own the path by then)
        socket.toFile().deleteOnExit();
        Paths.get(socket + ".admin").toFile().deleteOnExit();
        return socket;
    }

    private static Path emptyDirectory() {
        try {
            File dir = Files.createTempDirectory("kjps-it-deploy").toFile();
            dir.deleteOnExit();
            return dir.toPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
