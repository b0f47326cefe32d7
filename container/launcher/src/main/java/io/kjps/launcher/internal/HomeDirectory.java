package io.kjps.launcher.internal;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/**
 * Finds the distribution directory ({@code <home>} holding {@code bin/}, {@code lib/}, {@code system/},
 * {@code deploy/}): the system property {@value #PROPERTY} that {@code bin/kong-java-pluginserver} sets, else the
 * parent of the {@code lib/} directory this launcher's jar sits in (for {@code java -cp 'lib/*' ...} by hand).
 */
public final class HomeDirectory {

    /** System property naming the distribution directory. */
    public static final String PROPERTY = "kjps.home";

    private HomeDirectory() {
    }

    public static Optional<Path> find() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property));
        }
        return fromJarLocation();
    }

    private static Optional<Path> fromJarLocation() {
        try {
            CodeSource source = HomeDirectory.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path jar = Path.of(source.getLocation().toURI());
            Path lib = jar.getParent();
            if (Files.isRegularFile(jar) && lib != null && lib.getFileName() != null
                    && lib.getFileName().toString().equals("lib") && lib.getParent() != null) {
                return Optional.of(lib.getParent());
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no usable location
        }
        return Optional.empty();
    }
}
