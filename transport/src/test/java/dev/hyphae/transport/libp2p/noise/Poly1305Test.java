package dev.hyphae.transport.libp2p.noise;

import static dev.hyphae.transport.libp2p.noise.Rfc8439Vectors.IETF_CONTRIBUTION;
import static dev.hyphae.transport.libp2p.noise.Rfc8439Vectors.JABBERWOCKY;
import static dev.hyphae.transport.libp2p.noise.Rfc8439Vectors.ascii;
import static dev.hyphae.transport.libp2p.noise.Rfc8439Vectors.hex;
import static dev.hyphae.transport.libp2p.noise.Rfc8439Vectors.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Poly1305Test {

    private static final String ZERO16 = "00000000000000000000000000000000";

    @Test
    void tagMatchesSection252() {
        assertTag("85:d6:be:78:57:55:6d:33:7f:44:52:fe:42:d5:06:a8:01:03:80:8a:fb:0d:b2:fd:4a:bf:f6:af:41:49:f5:1b",
            ascii("Cryptographic Forum Research Group"), "a8:06:1d:c1:30:51:36:c6:c2:2b:8b:af:0c:01:27:a9");
    }

    @Test
    void tagsMatchAppendixA3TextVectors() {
        assertTag(ZERO16 + ZERO16, new byte[64], ZERO16);
        assertTag(ZERO16 + "36 e5 f6 b5 c5 e0 60 70 f0 ef ca 96 22 7a 86 3e", IETF_CONTRIBUTION,
            "36 e5 f6 b5 c5 e0 60 70 f0 ef ca 96 22 7a 86 3e");
        assertTag("36 e5 f6 b5 c5 e0 60 70 f0 ef ca 96 22 7a 86 3e" + ZERO16, IETF_CONTRIBUTION,
            "f3 47 7e 7c d9 54 17 af 89 a6 b8 79 4c 31 0c f0");
        assertTag("1c 92 40 a5 eb 55 d3 8a f3 33 88 86 04 f6 b5 f0 47 39 17 c1 40 2b 80 09 9d ca 5c bc 20 70 75 c0",
            JABBERWOCKY, "45 41 66 9a 7e aa ee 61 e7 08 dc 7c bc c5 eb 62");
    }

    @Test
    void tagsMatchAppendixA3ReductionEdgeCases() {
        String r2 = "02000000000000000000000000000000";
        String r1 = "01000000000000000000000000000000";
        String ones = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";
        // #5: a partially reduced result that is not fully reduced
        assertTag(r2 + ZERO16, hex(ones), "03000000000000000000000000000000");
        // #6: adding s overflows 2^128
        assertTag(r2 + ones, hex("02000000000000000000000000000000"), "03000000000000000000000000000000");
        // #7: a data limb of all ones with a carry from the lower limb
        assertTag(r1 + ZERO16, hex(ones + "F0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFF" + "11000000000000000000000000000000"),
            "05000000000000000000000000000000");
        // #8: the polynomial part is exactly 2^130-5
        assertTag(r1 + ZERO16, hex(ones + "FBFEFEFEFEFEFEFEFEFEFEFEFEFEFEFE" + "01010101010101010101010101010101"),
            ZERO16);
        // #9: the polynomial part is exactly 2^130-6
        assertTag(r2 + ZERO16, hex("FDFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"), "FAFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
        String r = "01000000000000000400000000000000";
        String data = "E33594D7505E43B90000000000000000" + "3394D7505E4379CD0100000000000000" + ZERO16;
        // #10: 5*H+L reduction gives a 131-bit intermediate result
        assertTag(r + ZERO16, hex(data + "01000000000000000000000000000000"), "14000000000000005500000000000000");
        // #11: and a 131-bit final result
        assertTag(r + ZERO16, hex(data), "13000000000000000000000000000000");
    }

    @Test
    void splittingTheMessageAnywhereGivesTheSameTag() {
        Random random = new Random(1305);
        byte[] key = new byte[32];
        random.nextBytes(key);
        byte[] message = new byte[200];
        random.nextBytes(message);
        String whole = tag(key, message);
        for (int split = 0; split <= message.length; split++) {
            Poly1305 poly = new Poly1305();
            poly.init(key, 0);
            poly.update(message, 0, split);
            poly.update(message, split, message.length - split);
            byte[] out = new byte[16];
            poly.finish(out, 0);
            assertEquals(whole, toHex(out), "split at " + split);
        }
    }

    @Test
    void tagsMatchTheFormulaOfSection25ForRandomAndExtremeKeysAndMessages() {
        Random random = new Random(8439);
        byte[] allOnes = new byte[32];
        Arrays.fill(allOnes, (byte) 0xff);
        for (int round = 0; round < 400; round++) {
            byte[] key = new byte[32];
            if (round % 4 == 0) {
                key = allOnes.clone(); // the largest r clamping allows, and an s that overflows 2^128
            } else {
                random.nextBytes(key);
            }
            byte[] message = new byte[random.nextInt(300)];
            if (round % 3 == 0) {
                Arrays.fill(message, (byte) 0xff); // the largest block values, to stress the carries
            } else {
                random.nextBytes(message);
            }
            assertEquals(referenceTag(key, message), tag(key, message), "round " + round);
        }
    }

    /** Section 2.5 with arbitrary precision: acc = (acc + block with its 2^(8*len) bit) * r mod 2^130-5. */
    private static String referenceTag(byte[] key, byte[] message) {
        BigInteger p = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));
        BigInteger r = littleEndian(key, 0, 16).and(new BigInteger("0ffffffc0ffffffc0ffffffc0fffffff", 16));
        BigInteger s = littleEndian(key, 16, 16);
        BigInteger acc = BigInteger.ZERO;
        for (int i = 0; i < message.length; i += 16) {
            int n = Math.min(16, message.length - i);
            BigInteger block = littleEndian(message, i, n).setBit(8 * n);
            acc = acc.add(block).multiply(r).mod(p);
        }
        byte[] tag = new byte[16];
        byte[] bigEndian = acc.add(s).toByteArray();
        for (int i = 0; i < 16 && i < bigEndian.length; i++) {
            tag[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return toHex(tag);
    }

    private static BigInteger littleEndian(byte[] b, int offset, int length) {
        byte[] bigEndian = new byte[length + 1];
        for (int i = 0; i < length; i++) {
            bigEndian[length - i] = b[offset + i];
        }
        return new BigInteger(bigEndian);
    }

    @Test
    void refusesUseWithoutAKey() {
        Poly1305 poly = new Poly1305();
        assertThrows(IllegalStateException.class, () -> poly.update(new byte[1], 0, 1));
        poly.init(new byte[32], 0);
        poly.finish(new byte[16], 0);
        assertThrows(IllegalStateException.class, () -> poly.finish(new byte[16], 0));
    }

    private static void assertTag(String key, byte[] message, String expected) {
        assertEquals(toHex(hex(expected)), tag(hex(key), message));
    }

    private static String tag(byte[] key, byte[] message) {
        Poly1305 poly = new Poly1305();
        poly.init(key, 0);
        poly.update(message, 0, message.length);
        byte[] out = new byte[16];
        poly.finish(out, 0);
        return toHex(out);
    }
}
