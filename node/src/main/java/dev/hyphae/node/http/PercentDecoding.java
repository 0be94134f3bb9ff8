package dev.hyphae.node.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * RFC 3986 percent-decoding of a path segment or query component into UTF-8 text. Unlike
 * {@link java.net.URLDecoder} it leaves {@code +} alone in paths and refuses malformed escapes
 * and invalid UTF-8 instead of replacing them.
 */
final class PercentDecoding {
    private PercentDecoding() {
    }

    /** Decodes {@code %XX} escapes; with {@code plusIsSpace} also {@code +} (query strings). */
    static String decode(String encoded, boolean plusIsSpace) {
        if (encoded.indexOf('%') < 0 && !(plusIsSpace && encoded.indexOf('+') >= 0)) {
            return encoded;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    throw malformed();
                }
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw malformed();
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw MatrixException.invalidParam("Percent-encoded text is not valid UTF-8");
        }
    }

    private static MatrixException malformed() {
        return MatrixException.invalidParam("Malformed percent-encoding in the request URI");
    }
}
