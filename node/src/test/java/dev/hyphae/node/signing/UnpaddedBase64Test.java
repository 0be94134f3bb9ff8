package dev.hyphae.node.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnpaddedBase64Test {

    @ParameterizedTest
    @CsvSource({"'',''", "f,Zg", "fo,Zm8", "foo,Zm9v", "foob,Zm9vYg", "fooba,Zm9vYmE", "foobar,Zm9vYmFy"})
    void appendixExamplesEncodeAndDecode(String plain, String encoded) {
        byte[] bytes = plain.getBytes(StandardCharsets.US_ASCII);
        assertEquals(encoded, UnpaddedBase64.encode(bytes));
        assertArrayEquals(bytes, UnpaddedBase64.decode(encoded));
    }

    @Test
    void paddedInputIsAcceptedToo() {
        assertArrayEquals("f".getBytes(StandardCharsets.US_ASCII), UnpaddedBase64.decode("Zg=="));
        assertArrayEquals("fo".getBytes(StandardCharsets.US_ASCII), UnpaddedBase64.decode("Zm8="));
    }

    @Test
    void urlSafeUsesMinusAndUnderscore() {
        byte[] bytes = {(byte) 0xfb, (byte) 0xff, (byte) 0xbf};
        assertEquals("+/+/", UnpaddedBase64.encode(bytes));
        assertEquals("-_-_", UnpaddedBase64.encodeUrlSafe(bytes));
        assertArrayEquals(bytes, UnpaddedBase64.decodeUrlSafe("-_-_"));
        assertThrows(IllegalArgumentException.class, () -> UnpaddedBase64.decode("-_-_"));
        assertThrows(IllegalArgumentException.class, () -> UnpaddedBase64.decodeUrlSafe("+/+/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Z", "Zm9vY", "Zm 9v", "Zm9v\n", "Zg=", "Z===", "Zm9v!", "=Zg"})
    void malformedInputIsRejected(String text) {
        assertThrows(IllegalArgumentException.class, () -> UnpaddedBase64.decode(text));
    }

    @Test
    void appendixTestSeedDecodesTo32Bytes() {
        assertEquals(32, UnpaddedBase64.decode("YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1").length);
    }
}
