package io.kjps.samples.hotswap;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A test plugin for hot updates: sets the response header {@code x-hotswap-tag} to the text of its resource
 * {@code tag.txt} and {@code x-hotswap-greeting} to its config's greeting. The tests build one jar per version by
 * rewriting {@code tag.txt}, so each version tags its responses differently. A tag starting with
 * {@code fail-activation} makes the component throw on activation, to test that a failed update rolls back; a tag
 * {@code slow-activation-<ms>} makes its activation take that long, to test that calls arriving meanwhile wait.
 */
@KongPlugin(name = "hotswap", version = "1.0.0", priority = 10)
@org.osgi.service.component.annotations.Component(service = KongPhaseHandler.class)
public class HotSwap implements KongPhaseHandler<HotSwap.Config> {
    private static final String TAG = readTag();

    /**
     * The plugin's config.
     *
     * @param greeting any text, echoed back
     */
    public record Config(String greeting) {
    }

    /**
     * Throws when this version's tag asks for a failed activation; takes its time when it asks for a slow one.
     *
     * @throws InterruptedException when SCR gives up on it
     */
    @org.osgi.service.component.annotations.Activate
    void activate() throws InterruptedException {
        if (TAG.startsWith("fail-activation")) {
            throw new IllegalStateException("tag.txt of this revision asks its activation to fail");
        }
        if (TAG.startsWith("slow-activation-")) {
            Thread.sleep(Long.parseLong(TAG.substring("slow-activation-".length())));
        }
    }

    @Override
    public void access(Kong kong, Config config) {
        kong.response().setHeader("x-hotswap-tag", TAG);
        kong.response().setHeader("x-hotswap-greeting", String.valueOf(config.greeting()));
    }

    private static String readTag() {
        try (InputStream in = HotSwap.class.getResourceAsStream("tag.txt")) {
            if (in == null) {
                return "no tag.txt";
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
