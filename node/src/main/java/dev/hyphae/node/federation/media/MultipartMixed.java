package dev.hyphae.node.federation.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code multipart/mixed} body (RFC 2046 section 5.1) of federation media answers: parts with
 * their headers, written with a random boundary and read by the boundary the Content-Type names.
 */
final class MultipartMixed {
    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary=(\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final byte[] CRLF = {'\r', '\n'};
    private static final char[] BOUNDARY_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /** One part: its headers (names in lower case) and its bytes. */
    record Part(Map<String, String> headers, byte[] body) {
        Part {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }

        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    private MultipartMixed() {
    }

    static String randomBoundary(SecureRandom random) {
        StringBuilder boundary = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            boundary.append(BOUNDARY_CHARS[random.nextInt(BOUNDARY_CHARS.length)]);
        }
        return boundary.toString();
    }

    /** The body of the parts, delimited by {@code boundary} (which the caller chose random). */
    static byte[] write(String boundary, List<Part> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            out.writeBytes(("--" + boundary).getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(CRLF);
            for (Map.Entry<String, String> header : part.headers().entrySet()) {
                out.writeBytes((header.getKey() + ": " + header.getValue()).getBytes(StandardCharsets.UTF_8));
                out.writeBytes(CRLF);
            }
            out.writeBytes(CRLF);
            out.writeBytes(part.body());
            out.writeBytes(CRLF);
        }
        out.writeBytes(("--" + boundary + "--").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(CRLF);
        return out.toByteArray();
    }

    /**
     * The parts of a {@code multipart/mixed} body.
     *
     * @throws IllegalArgumentException when the content type is not multipart/mixed with a
     *                                  boundary, or the body is not delimited by it
     */
    static List<Part> read(String contentType, byte[] body) {
        if (contentType == null || !contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/mixed")) {
            throw new IllegalArgumentException("not multipart/mixed: " + contentType);
        }
        Matcher matcher = BOUNDARY.matcher(contentType);
        if (!matcher.find()) {
            throw new IllegalArgumentException("multipart/mixed without a boundary");
        }
        String boundary = matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<Part> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw new IllegalArgumentException("the body holds no boundary");
        }
        while (true) {
            int afterDelimiter = at + delimiter.length;
            if (startsWith(body, afterDelimiter, "--")) {
                return parts;
            }
            int headersStart = indexOf(body, CRLF, afterDelimiter);
            if (headersStart < 0) {
                throw new IllegalArgumentException("a boundary line does not end");
            }
            headersStart += CRLF.length;
            int next = indexOf(body, concat(CRLF, delimiter), headersStart);
            if (next < 0) {
                throw new IllegalArgumentException("a part does not end with the boundary");
            }
            parts.add(part(body, headersStart, next));
            at = next + CRLF.length;
        }
    }

    private static Part part(byte[] body, int start, int end) {
        Map<String, String> headers = new LinkedHashMap<>();
        int position = start;
        while (true) {
            int lineEnd = indexOf(body, CRLF, position);
            if (lineEnd < 0 || lineEnd > end) {
                throw new IllegalArgumentException("a part's headers do not end with an empty line");
            }
            if (lineEnd == position) {
                position += CRLF.length;
                break;
            }
            String line = new String(body, position, lineEnd - position, StandardCharsets.UTF_8);
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("not a header line: " + line);
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            position = lineEnd + CRLF.length;
        }
        byte[] content = new byte[end - position];
        System.arraycopy(body, position, content, 0, content.length);
        return new Part(headers, content);
    }

    private static boolean startsWith(byte[] body, int at, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        if (at + bytes.length > body.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (body[at + i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static int indexOf(byte[] body, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= body.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (body[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
