package io.kjps.samples.filelog;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import io.kjps.plugin.config.Required;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.osgi.service.component.annotations.Component;

/**
 * Sample: appends {@code kong.log.serialize()} (Kong's JSON summary of the request) as one line to a file, in the log
 * phase (go-pdk's go-log example). Lines of concurrent requests never interleave: each is written with one
 * synchronised append.
 */
@Component(service = KongPhaseHandler.class)
@KongPlugin(name = "file-log", version = "0.1.0", priority = 9)
public class FileLog implements KongPhaseHandler<FileLog.Config> {

    /**
     * The plugin's config.
     *
     * @param path the file to append to; created when missing
     */
    public record Config(@Required String path) {
    }

    @Override
    public void log(Kong kong, Config config) {
        String line = kong.log().serialize() + "\n";
        synchronized (FileLog.class) {
            try {
                Files.write(Path.of(config.path()), line.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                kong.log().err("cannot append to ", config.path(), ": ", e.getMessage());
            }
        }
    }
}
