package dev.hyphae.node.media;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The headers that make serving user-supplied content safe ("Serving inline content" and the
 * security considerations of the content repository): {@code Content-Disposition} is
 * {@code inline} only for the spec's list of types that browsers will not run as a page, a
 * {@code sandbox} content security policy, and no content sniffing.
 */
public final class ContentHeaders {
    public static final String OCTET_STREAM = "application/octet-stream";

    /** The spec's recommended policy. */
    static final String CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'; script-src 'none';"
            + " plugin-types application/pdf; style-src 'unsafe-inline'; object-src 'self';";

    /** The types the spec allows with {@code Content-Disposition: inline}. */
    static final Set<String> INLINE_TYPES = Set.of(
            "text/css", "text/plain", "text/csv", "application/json", "application/ld+json",
            "image/jpeg", "image/gif", "image/png", "image/apng", "image/webp", "image/avif",
            "video/mp4", "video/webm", "video/ogg", "video/quicktime",
            "audio/mp4", "audio/webm", "audio/aac", "audio/mpeg", "audio/ogg", "audio/wave", "audio/wav",
            "audio/x-wav", "audio/x-pn-wav", "audio/flac", "audio/x-flac");

    private static final String TOKEN = "[A-Za-z0-9!#$&^_.+-]+";
    /** type/subtype with optional parameters, printable ASCII only (no header injection). */
    private static final Pattern CONTENT_TYPE = Pattern.compile(TOKEN + "/" + TOKEN + "(\\s*;[\\x20-\\x7E]*)?");
    private static final int MAX_CONTENT_TYPE_LENGTH = 255;

    private ContentHeaders() {
    }

    /**
     * The content type to store for an upload: the client's own, or {@code application/octet-stream}
     * when it sent none (the spec's default) or one that is not a well-formed media type.
     */
    public static String uploadedContentType(Optional<String> header) {
        return header.map(String::trim)
                .filter(type -> type.length() <= MAX_CONTENT_TYPE_LENGTH && CONTENT_TYPE.matcher(type).matches())
                .orElse(OCTET_STREAM);
    }

    /** Whether content of this type may be served inline. */
    public static boolean isInline(String contentType) {
        int semicolon = contentType.indexOf(';');
        String essence = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim().toLowerCase(Locale.ROOT);
        return INLINE_TYPES.contains(essence);
    }

    /**
     * {@code inline} or {@code attachment} by the content type, with the file name when there is
     * one: an ASCII {@code filename} and, for other names, the exact name as RFC 6266's
     * {@code filename*}.
     */
    public static String contentDisposition(String contentType, Optional<String> fileName) {
        return disposition(isInline(contentType) ? "inline" : "attachment", fileName);
    }

    /** {@code inline} whatever the type, as the spec requires for thumbnails. */
    public static String inlineDisposition(Optional<String> fileName) {
        return disposition("inline", fileName);
    }

    static String disposition(String type, Optional<String> fileName) {
        if (fileName.isEmpty() || fileName.get().isEmpty()) {
            return type;
        }
        String name = fileName.get();
        StringBuilder ascii = new StringBuilder();
        boolean plain = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean safe = c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '/';
            ascii.append(safe ? c : '_');
            plain &= safe;
        }
        String header = type + "; filename=\"" + ascii + "\"";
        return plain ? header : header + "; filename*=UTF-8''" + percentEncode(name);
    }

    /** The headers every response carrying content gets, beside its type and disposition. */
    public static Map<String, String> securityHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        // Lets web clients that isolate themselves (for SharedArrayBuffer) still show media.
        headers.put("Cross-Origin-Resource-Policy", "cross-origin");
        // The type given is the one a browser must use; it must not guess a runnable one.
        headers.put("X-Content-Type-Options", "nosniff");
        return headers;
    }

    /** RFC 5987 value characters: attr-char stays, every other UTF-8 byte is %XX. */
    private static String percentEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean attrChar = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0;
            if (attrChar) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
