package dev.hyphae.transport.libp2p.noise;

import static dev.hyphae.transport.libp2p.noise.Rfc8439Vectors.IETF_CONTRIBUTION;
import static dev.hyphae.transport.libp2p.noise.Rfc8439Vectors.JABBERWOCKY;
import static dev.hyphae.transport.libp2p.noise.Rfc8439Vectors.SUNSCREEN;
import static dev.hyphae.transport.libp2p.noise.Rfc8439Vectors.hex;
import static dev.hyphae.transport.libp2p.noise.Rfc8439Vectors.toHex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ChaCha20Test {

    private static final byte[] KEY_00_1F = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] ZERO_KEY = new byte[32];
    private static final byte[] KEY_ENDING_01 = hex("00000000000000000000000000000000 00000000000000000000000000000001");
    private static final byte[] KEY_1C92 = hex("1c 92 40 a5 eb 55 d3 8a f3 33 88 86 04 f6 b5 f0"
        + "47 39 17 c1 40 2b 80 09 9d ca 5c bc 20 70 75 c0");

    @Test
    void blockFunctionMatchesSection232() {
        assertBlock(KEY_00_1F, "000000090000004a00000000", 1,
            "10 f1 e7 e4 d1 3b 59 15 50 0f dd 1f a3 20 71 c4"
                + "c7 d1 f4 c7 33 c0 68 03 04 22 aa 9a c3 d4 6c 4e"
                + "d2 82 64 46 07 9f aa 09 14 c2 d7 05 d9 8b 02 a2"
                + "b5 12 9c d1 de 16 4e b9 cb d0 83 e8 a2 50 3c 4e");
    }

    @Test
    void blockFunctionMatchesAppendixA1() {
        String zeroNonce = "000000000000000000000000";
        assertBlock(ZERO_KEY, zeroNonce, 0,
            "76 b8 e0 ad a0 f1 3d 90 40 5d 6a e5 53 86 bd 28"
                + "bd d2 19 b8 a0 8d ed 1a a8 36 ef cc 8b 77 0d c7"
                + "da 41 59 7c 51 57 48 8d 77 24 e0 3f b8 d8 4a 37"
                + "6a 43 b8 f4 15 18 a1 1c c3 87 b6 69 b2 ee 65 86");
        assertBlock(ZERO_KEY, zeroNonce, 1,
            "9f 07 e7 be 55 51 38 7a 98 ba 97 7c 73 2d 08 0d"
                + "cb 0f 29 a0 48 e3 65 69 12 c6 53 3e 32 ee 7a ed"
                + "29 b7 21 76 9c e6 4e 43 d5 71 33 b0 74 d8 39 d5"
                + "31 ed 1f 28 51 0a fb 45 ac e1 0a 1f 4b 79 4d 6f");
        assertBlock(KEY_ENDING_01, zeroNonce, 1,
            "3a eb 52 24 ec f8 49 92 9b 9d 82 8d b1 ce d4 dd"
                + "83 20 25 e8 01 8b 81 60 b8 22 84 f3 c9 49 aa 5a"
                + "8e ca 00 bb b4 a7 3b da d1 92 b5 c4 2f 73 f2 fd"
                + "4e 27 36 44 c8 b3 61 25 a6 4a dd eb 00 6c 13 a0");
        assertBlock(hex("00ff000000000000000000000000000000000000000000000000000000000000"), zeroNonce, 2,
            "72 d5 4d fb f1 2e c4 4b 36 26 92 df 94 13 7f 32"
                + "8f ea 8d a7 39 90 26 5e c1 bb be a1 ae 9a f0 ca"
                + "13 b2 5a a2 6c b4 a6 48 cb 9b 9d 1b e6 5b 2c 09"
                + "24 a6 6c 54 d5 45 ec 1b 73 74 f4 87 2e 99 f0 96");
        assertBlock(ZERO_KEY, "000000000000000000000002", 0,
            "c2 c6 4d 37 8c d5 36 37 4a e2 04 b9 ef 93 3f cd"
                + "1a 8b 22 88 b3 df a4 96 72 ab 76 5b 54 ee 27 c7"
                + "8a 97 0e 0e 95 5c 14 f3 a8 8e 74 1b 97 c2 86 f7"
                + "5f 8f c2 99 e8 14 83 62 fa 19 8a 39 53 1b ed 6d");
    }

    @Test
    void oneTimeKeysMatchSection262AndAppendixA4() {
        assertOneTimeKey(hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"),
            "000000000001020304050607",
            "8a d5 a0 8b 90 5f 81 cc 81 50 40 27 4a b2 94 71 a8 33 b6 37 e3 fd 0d a5 08 db b8 e2 fd d1 a6 46");
        assertOneTimeKey(ZERO_KEY, "000000000000000000000000",
            "76 b8 e0 ad a0 f1 3d 90 40 5d 6a e5 53 86 bd 28 bd d2 19 b8 a0 8d ed 1a a8 36 ef cc 8b 77 0d c7");
        assertOneTimeKey(KEY_ENDING_01, "000000000000000000000002",
            "ec fa 25 4f 84 5f 64 74 73 d3 cb 14 0d a9 e8 76 06 cb 33 06 6c 44 7b 87 bc 26 66 dd e3 fb b7 39");
        assertOneTimeKey(KEY_1C92, "000000000000000000000002",
            "96 5e 3b c6 f9 ec 7e d9 56 08 08 f4 d2 29 f9 4b 13 7f f2 75 ca 9b 3f cb dd 59 de aa d2 33 10 ae");
    }

    @Test
    void encryptionMatchesSection242() {
        assertEncryption(KEY_00_1F, "000000000000004a00000000", 1, SUNSCREEN,
            "6e 2e 35 9a 25 68 f9 80 41 ba 07 28 dd 0d 69 81"
                + "e9 7e 7a ec 1d 43 60 c2 0a 27 af cc fd 9f ae 0b"
                + "f9 1b 65 c5 52 47 33 ab 8f 59 3d ab cd 62 b3 57"
                + "16 39 d6 24 e6 51 52 ab 8f 53 0c 35 9f 08 61 d8"
                + "07 ca 0d bf 50 0d 6a 61 56 a3 8e 08 8a 22 b6 5e"
                + "52 bc 51 4d 16 cc f8 06 81 8c e9 1a b7 79 37 36"
                + "5a f9 0b bf 74 a3 5b e6 b4 0b 8e ed f2 78 5e 42"
                + "87 4d");
    }

    @Test
    void encryptionMatchesAppendixA2() {
        assertEncryption(ZERO_KEY, "000000000000000000000000", 0, new byte[64],
            "76 b8 e0 ad a0 f1 3d 90 40 5d 6a e5 53 86 bd 28"
                + "bd d2 19 b8 a0 8d ed 1a a8 36 ef cc 8b 77 0d c7"
                + "da 41 59 7c 51 57 48 8d 77 24 e0 3f b8 d8 4a 37"
                + "6a 43 b8 f4 15 18 a1 1c c3 87 b6 69 b2 ee 65 86");
        assertEquals(375, IETF_CONTRIBUTION.length);
        assertEncryption(KEY_ENDING_01, "000000000000000000000002", 1, IETF_CONTRIBUTION,
            "a3 fb f0 7d f3 fa 2f de 4f 37 6c a2 3e 82 73 70"
                + "41 60 5d 9f 4f 4f 57 bd 8c ff 2c 1d 4b 79 55 ec"
                + "2a 97 94 8b d3 72 29 15 c8 f3 d3 37 f7 d3 70 05"
                + "0e 9e 96 d6 47 b7 c3 9f 56 e0 31 ca 5e b6 25 0d"
                + "40 42 e0 27 85 ec ec fa 4b 4b b5 e8 ea d0 44 0e"
                + "20 b6 e8 db 09 d8 81 a7 c6 13 2f 42 0e 52 79 50"
                + "42 bd fa 77 73 d8 a9 05 14 47 b3 29 1c e1 41 1c"
                + "68 04 65 55 2a a6 c4 05 b7 76 4d 5e 87 be a8 5a"
                + "d0 0f 84 49 ed 8f 72 d0 d6 62 ab 05 26 91 ca 66"
                + "42 4b c8 6d 2d f8 0e a4 1f 43 ab f9 37 d3 25 9d"
                + "c4 b2 d0 df b4 8a 6c 91 39 dd d7 f7 69 66 e9 28"
                + "e6 35 55 3b a7 6c 5c 87 9d 7b 35 d4 9e b2 e6 2b"
                + "08 71 cd ac 63 89 39 e2 5e 8a 1e 0e f9 d5 28 0f"
                + "a8 ca 32 8b 35 1c 3c 76 59 89 cb cf 3d aa 8b 6c"
                + "cc 3a af 9f 39 79 c9 2b 37 20 fc 88 dc 95 ed 84"
                + "a1 be 05 9c 64 99 b9 fd a2 36 e7 e8 18 b0 4b 0b"
                + "c3 9c 1e 87 6b 19 3b fe 55 69 75 3f 88 12 8c c0"
                + "8a aa 9b 63 d1 a1 6f 80 ef 25 54 d7 18 9c 41 1f"
                + "58 69 ca 52 c5 b8 3f a3 6f f2 16 b9 c1 d3 00 62"
                + "be bc fd 2d c5 bc e0 91 19 34 fd a7 9a 86 f6 e6"
                + "98 ce d7 59 c3 ff 9b 64 77 33 8f 3d a4 f9 cd 85"
                + "14 ea 99 82 cc af b3 41 b2 38 4d d9 02 f3 d1 ab"
                + "7a c6 1d d2 9c 6f 21 ba 5b 86 2f 37 30 e3 7c fd"
                + "c4 fd 80 6c 22 f2 21");
        assertEquals(127, JABBERWOCKY.length);
        assertEncryption(KEY_1C92, "000000000000000000000002", 42, JABBERWOCKY,
            "62 e6 34 7f 95 ed 87 a4 5f fa e7 42 6f 27 a1 df"
                + "5f b6 91 10 04 4c 0d 73 11 8e ff a9 5b 01 e5 cf"
                + "16 6d 3d f2 d7 21 ca f9 b2 1e 5f b1 4c 61 68 71"
                + "fd 84 c5 4f 9d 65 b2 83 19 6c 7f e4 f6 05 53 eb"
                + "f3 9c 64 02 c4 22 34 e3 2a 35 6b 3e 76 43 12 a6"
                + "1a 55 32 05 57 16 ea d6 96 25 68 f8 7d 3f 3f 77"
                + "04 c6 a8 d1 bc d1 bf 4d 50 d6 15 4b 6d a7 31 b1"
                + "87 b5 8d fd 72 8a fa 36 75 7a 79 7a c1 88 d1");
    }

    @Test
    void keystreamEqualsTheJdkCipherForManyLengthsAndCounters() throws Exception {
        Random random = new Random(8439);
        for (int length = 0; length <= 700; length += 1 + random.nextInt(9)) {
            byte[] key = new byte[32];
            byte[] nonce = new byte[12];
            random.nextBytes(key);
            random.nextBytes(nonce);
            int counter = random.nextInt(1000);
            byte[] in = new byte[length];
            random.nextBytes(in);
            Cipher jdk = Cipher.getInstance("ChaCha20");
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce, counter));
            byte[] expected = jdk.doFinal(in);
            byte[] out = new byte[length + 7];
            int[] n = words(nonce);
            new ChaCha20(key).xor(counter, n[0], n[1], n[2], in, 0, out, 3, length);
            assertArrayEquals(expected, Arrays.copyOfRange(out, 3, 3 + length), "length " + length);
        }
    }

    @Test
    void eightBlockLanesGiveTheJdkKeystreamForLongInputsInPlaceAndUpToTheLastCounter() throws Exception {
        assumeTrue(ChaCha20.LANES_AVAILABLE, "no jdk.incubator.vector or no 256-bit vectors here");
        Random random = new Random(20);
        int[] lengths = {512, 513, 1023, 1024, 1536 + 63, 4096 + 100, 65519, 65535};
        for (int length : lengths) {
            byte[] key = new byte[32];
            byte[] nonce = new byte[12];
            random.nextBytes(key);
            random.nextBytes(nonce);
            int counter = random.nextInt(1 << 20);
            byte[] in = new byte[length];
            random.nextBytes(in);
            Cipher jdk = Cipher.getInstance("ChaCha20");
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce, counter));
            byte[] expected = jdk.doFinal(in);
            int[] n = words(nonce);
            byte[] out = new byte[length + 5];
            new ChaCha20(key, true).xor(counter, n[0], n[1], n[2], in, 0, out, 5, length);
            assertArrayEquals(expected, Arrays.copyOfRange(out, 5, 5 + length), "length " + length);
            byte[] inPlace = in.clone();
            new ChaCha20(key, true).xor(counter, n[0], n[1], n[2], inPlace, 0, inPlace, 0, length);
            assertArrayEquals(expected, inPlace, "in place, length " + length);
        }
        // the last 24 blocks a counter allows: the lanes' counters run up to 0xffffffff without wrapping
        byte[] key = new byte[32];
        random.nextBytes(key);
        byte[] in = new byte[24 * 64];
        random.nextBytes(in);
        byte[] lanes = new byte[in.length];
        byte[] scalar = new byte[in.length];
        new ChaCha20(key, true).xor(-24, 1, 2, 3, in, 0, lanes, 0, in.length);
        new ChaCha20(key, false).xor(-24, 1, 2, 3, in, 0, scalar, 0, in.length);
        assertArrayEquals(scalar, lanes);
    }

    @Test
    void encryptsInPlace() {
        byte[] buffer = SUNSCREEN.clone();
        int[] n = words(hex("000000000000004a00000000"));
        ChaCha20 chacha = new ChaCha20(KEY_00_1F);
        chacha.xor(1, n[0], n[1], n[2], buffer, 0, buffer, 0, buffer.length);
        chacha.xor(1, n[0], n[1], n[2], buffer, 0, buffer, 0, buffer.length);
        assertArrayEquals(SUNSCREEN, buffer);
    }

    @Test
    void refusesABlockCounterThatWouldWrap() {
        ChaCha20 chacha = new ChaCha20(ZERO_KEY);
        byte[] twoBlocks = new byte[128];
        assertThrows(IllegalArgumentException.class, () -> chacha.xor(-1, 0, 0, 0, twoBlocks, 0, twoBlocks, 0, 128));
        chacha.xor(-1, 0, 0, 0, twoBlocks, 0, twoBlocks, 0, 64); // the last block is still usable
    }

    @Test
    void refusesKeysOfTheWrongLengthAndOutOfBoundsRanges() {
        assertThrows(IllegalArgumentException.class, () -> new ChaCha20(new byte[31]));
        ChaCha20 chacha = new ChaCha20(ZERO_KEY);
        assertThrows(IndexOutOfBoundsException.class,
            () -> chacha.xor(0, 0, 0, 0, new byte[10], 0, new byte[9], 0, 10));
    }

    static int[] words(byte[] nonce) {
        ByteBuffer b = ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN);
        return new int[] {b.getInt(0), b.getInt(4), b.getInt(8)};
    }

    private static void assertBlock(byte[] key, String nonce, int counter, String expected) {
        int[] n = words(hex(nonce));
        byte[] out = new byte[64];
        new ChaCha20(key).block(counter, n[0], n[1], n[2], out, 0);
        assertEquals(toHex(hex(expected)), toHex(out));
    }

    private static void assertOneTimeKey(byte[] key, String nonce, String expected) {
        int[] n = words(hex(nonce));
        byte[] out = new byte[64];
        new ChaCha20(key).block(0, n[0], n[1], n[2], out, 0);
        assertEquals(toHex(hex(expected)), toHex(Arrays.copyOf(out, 32)));
    }

    private static void assertEncryption(byte[] key, String nonce, int counter, byte[] plaintext, String expected) {
        int[] n = words(hex(nonce));
        byte[] out = new byte[plaintext.length];
        new ChaCha20(key).xor(counter, n[0], n[1], n[2], plaintext, 0, out, 0, plaintext.length);
        assertEquals(toHex(hex(expected)), toHex(out));
    }
}
