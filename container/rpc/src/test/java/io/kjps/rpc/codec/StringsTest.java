package io.kjps.rpc.codec;

import static io.kjps.rpc.testutil.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StringsTest {

    @Test
    void asciiAndEmpty() {
        assertEquals("", Strings.decode(new byte[0]));
        assertEquals("plugin.Step", Strings.decode("plugin.Step".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void validUtf8() {
        assertEquals("café", Strings.decode(hex("636166c3a9")));
        assertEquals("☃𝄞", Strings.decode(hex("e29883 f09d849e")));
    }

    @Test
    void invalidUtf8IsLatin1OneCharPerByte() {
        byte[] recorded = hex("636166e9"); // x-latin1 in pdkcheck-post.jsonl
        String s = Strings.decode(recorded);
        assertEquals("caf\u00e9", s);
        assertEquals(4, s.length());
        assertArrayEquals(recorded, s.getBytes(StandardCharsets.ISO_8859_1));

        byte[] everyByte = new byte[256];
        for (int i = 0; i < 256; i++) {
            everyByte[i] = (byte) i;
        }
        String all = Strings.decode(everyByte);
        assertEquals(256, all.length());
        assertArrayEquals(everyByte, all.getBytes(StandardCharsets.ISO_8859_1), "lossless for every byte value");
    }

    @Test
    void truncatedAndOverlongSequencesAreNotUtf8() {
        assertEquals("\u00e2\u0098", Strings.decode(hex("e298")), "truncated 3-byte sequence");
        assertEquals("\u00c0\u00af", Strings.decode(hex("c0af")), "overlong encoding of /");
        assertEquals("\u00ed\u00a0\u0080", Strings.decode(hex("eda080")), "an encoded surrogate");
    }

    @Test
    void decoderStateDoesNotLeakBetweenCallsOrThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 2000; i++) {
                        if (!"café".equals(Strings.decode(hex("636166c3a9")))
                                || !"caf\u00e9".equals(Strings.decode(hex("636166e9")))
                                || !"\u00e2\u0098".equals(Strings.decode(hex("e298")))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            start.countDown();
            for (Future<Boolean> f : results) {
                assertEquals(true, f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
