package io.kjps.launcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The project version: the Maven-filtered resource {@code version.properties} next to this class, else the jar
 * manifest's {@code Implementation-Version}, else {@code "unknown"}.
 */
public final class Version {

    private Version() {
    }

    public static String get() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "");
                if (!version.isEmpty() && !version.startsWith("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String version = Version.class.getPackage().getImplementationVersion();
        return version != null ? version : "unknown";
    }
}
