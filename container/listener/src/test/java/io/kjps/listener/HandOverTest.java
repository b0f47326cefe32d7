package io.kjps.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-over through a real child JVM, on the JDK that runs the tests (17 in CI, 25 in its second run). */
class HandOverTest {
    @TempDir
    Path dir;

    /** The child: accepts one connection on the socket it inherited and answers what it read, upper-cased. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            ServerSocketChannel server = HandOver.inherited();
            try (SocketChannel c = server.accept()) {
                ByteBuffer in = ByteBuffer.allocate(64);
                c.read(in);
                in.flip();
                String text = StandardCharsets.UTF_8.decode(in).toString().toUpperCase();
                c.write(StandardCharsets.UTF_8.encode(text));
            }
            System.err.println("child still logs after serving");
        }
    }

    @Test
    void thisJdkSupportsIt() {
        assertNull(HandOver.supported());
    }

    @Test
    void aChildProcessAcceptsOnTheSocketThisProcessBound() throws Exception {
        Path path = dir.resolve("s.sock");
        try (ServerSocketChannel server = ListeningSocket.from(Map.of(ListeningSocket.PATH, path.toString())::get)
                .open()) {
            Path jvm = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(List.of(jvm.toString(), "-cp", System.getProperty("java.class.path"),
                    Child.class.getName())).redirectInput(HandOver.asStandardInput(server))
                    .redirectError(dir.resolve("child.err").toFile()).start();
            // the connect succeeds at once, whether or not the child accepts yet: the socket is bound here
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                c.write(StandardCharsets.UTF_8.encode("hand over"));
                ByteBuffer answer = ByteBuffer.allocate(64);
                while (answer.position() < "HAND OVER".length() && c.read(answer) >= 0) {
                    // reads until the whole answer is there
                }
                answer.flip();
                assertEquals("HAND OVER", StandardCharsets.UTF_8.decode(answer).toString());
            }
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, child.exitValue());
            assertTrue(java.nio.file.Files.readString(dir.resolve("child.err")).contains("child still logs"));
            assertTrue(server.isOpen(), "this process keeps its copy");
        }
    }
}
