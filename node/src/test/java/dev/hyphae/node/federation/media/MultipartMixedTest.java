package dev.hyphae.node.federation.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultipartMixedTest {
    @Test
    void partsWrittenAreReadBackWithTheirHeadersAndExactBytes() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        String boundary = MultipartMixed.randomBoundary(new SecureRandom());
        byte[] body = MultipartMixed.write(boundary, List.of(
                new MultipartMixed.Part(Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8)),
                new MultipartMixed.Part(Map.of("Content-Type", "application/octet-stream"), binary)));
        List<MultipartMixed.Part> parts = MultipartMixed.read("multipart/mixed; boundary=" + boundary, body);
        assertEquals(2, parts.size());
        assertEquals("application/json", parts.get(0).header("Content-Type").orElseThrow());
        assertEquals("{}", new String(parts.get(0).body(), StandardCharsets.UTF_8));
        assertArrayEquals(binary, parts.get(1).body());
    }

    @Test
    void aBodyFromAnotherWriterWithAPreambleAndAQuotedBoundaryIsRead() {
        String body = "preamble\r\n--abc\r\nContent-Type: application/json\r\n\r\n{}\r\n--abc\r\n"
                + "Content-Type: text/plain\r\nContent-Disposition: inline; filename=\"a.txt\"\r\n\r\nhello\r\n--abc--\r\n";
        List<MultipartMixed.Part> parts = MultipartMixed.read("multipart/mixed; boundary=\"abc\"",
                body.getBytes(StandardCharsets.UTF_8));
        assertEquals("hello", new String(parts.get(1).body(), StandardCharsets.UTF_8));
        assertEquals("inline; filename=\"a.txt\"", parts.get(1).header("content-disposition").orElseThrow());
    }

    @Test
    void anAnswerThatIsNotMultipartOrHasNoBoundaryIsRefused() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> MultipartMixed.read("application/json", body));
        assertThrows(IllegalArgumentException.class, () -> MultipartMixed.read("multipart/mixed", body));
        assertThrows(IllegalArgumentException.class, () -> MultipartMixed.read("multipart/mixed; boundary=x", body));
    }

    @Test
    void aPartThatNeverEndsIsRefused() {
        byte[] body = "--x\r\nContent-Type: text/plain\r\n\r\nno end".getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> MultipartMixed.read("multipart/mixed; boundary=x", body));
    }
}
