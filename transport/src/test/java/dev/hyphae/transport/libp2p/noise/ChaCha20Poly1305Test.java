package dev.hyphae.transport.libp2p.noise;

import static dev.hyphae.transport.libp2p.noise.Rfc8439Vectors.INTERNET_DRAFTS;
import static dev.hyphae.transport.libp2p.noise.Rfc8439Vectors.SUNSCREEN;
import static dev.hyphae.transport.libp2p.noise.Rfc8439Vectors.hex;
import static dev.hyphae.transport.libp2p.noise.Rfc8439Vectors.toHex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ChaCha20Poly1305Test {

    private static final byte[] KEY_80_9F = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");

    @Test
    void sealMatchesSection282() throws Exception {
        byte[] nonce = hex("07000000 4041424344454647");
        byte[] aad = hex("50 51 52 53 c0 c1 c2 c3 c4 c5 c6 c7");
        String expected = "d3 1a 8d 34 64 8e 60 db 7b 86 af bc 53 ef 7e c2"
            + "a4 ad ed 51 29 6e 08 fe a9 e2 b5 a7 36 ee 62 d6"
            + "3d be a4 5e 8c a9 67 12 82 fa fb 69 da 92 72 8b"
            + "1a 71 de 0a 9e 06 0b 29 05 d6 a5 b6 7e cd 3b 36"
            + "92 dd bd 7f 2d 77 8b 8c 98 03 ae e3 28 09 1b 58"
            + "fa b3 24 e4 fa d6 75 94 55 85 80 8b 48 31 d7 bc"
            + "3f f4 de f0 8e 4b 7a 9d e5 76 d2 65 86 ce c6 4b"
            + "61 16"
            + "1a:e1:0b:59:4f:09:e2:6a:7e:90:2e:cb:d0:60:06:91";
        ChaCha20Poly1305 aead = new ChaCha20Poly1305(KEY_80_9F);
        byte[] sealed = new byte[SUNSCREEN.length + 16];
        assertEquals(sealed.length, aead.seal(nonce, aad, SUNSCREEN, 0, SUNSCREEN.length, sealed, 0));
        assertEquals(toHex(hex(expected)), toHex(sealed));
        byte[] opened = new byte[SUNSCREEN.length];
        assertEquals(SUNSCREEN.length, aead.open(nonce, aad, sealed, 0, sealed.length, opened, 0));
        assertArrayEquals(SUNSCREEN, opened);
    }

    @Test
    void openMatchesAppendixA5() throws Exception {
        byte[] key = hex("1c 92 40 a5 eb 55 d3 8a f3 33 88 86 04 f6 b5 f0 47 39 17 c1 40 2b 80 09 9d ca 5c bc 20 70 75 c0");
        byte[] sealed = hex("64 a0 86 15 75 86 1a f4 60 f0 62 c7 9b e6 43 bd"
            + "5e 80 5c fd 34 5c f3 89 f1 08 67 0a c7 6c 8c b2"
            + "4c 6c fc 18 75 5d 43 ee a0 9e e9 4e 38 2d 26 b0"
            + "bd b7 b7 3c 32 1b 01 00 d4 f0 3b 7f 35 58 94 cf"
            + "33 2f 83 0e 71 0b 97 ce 98 c8 a8 4a bd 0b 94 81"
            + "14 ad 17 6e 00 8d 33 bd 60 f9 82 b1 ff 37 c8 55"
            + "97 97 a0 6e f4 f0 ef 61 c1 86 32 4e 2b 35 06 38"
            + "36 06 90 7b 6a 7c 02 b0 f9 f6 15 7b 53 c8 67 e4"
            + "b9 16 6c 76 7b 80 4d 46 a5 9b 52 16 cd e7 a4 e9"
            + "90 40 c5 a4 04 33 22 5e e2 82 a1 b0 a0 6c 52 3e"
            + "af 45 34 d7 f8 3f a1 15 5b 00 47 71 8c bc 54 6a"
            + "0d 07 2b 04 b3 56 4e ea 1b 42 22 73 f5 48 27 1a"
            + "0b b2 31 60 53 fa 76 99 19 55 eb d6 31 59 43 4e"
            + "ce bb 4e 46 6d ae 5a 10 73 a6 72 76 27 09 7a 10"
            + "49 e6 17 d9 1d 36 10 94 fa 68 f0 ff 77 98 71 30"
            + "30 5b ea ba 2e da 04 df 99 7b 71 4d 6c 6f 2c 29"
            + "a6 ad 5c b4 02 2b 02 70 9b"
            + "ee ad 9d 67 89 0c bb 22 39 23 36 fe a1 85 1f 38");
        byte[] nonce = hex("00 00 00 00 01 02 03 04 05 06 07 08");
        byte[] aad = hex("f3 33 88 86 00 00 00 00 00 00 4e 91");
        assertEquals(265, INTERNET_DRAFTS.length);
        byte[] opened = new byte[265];
        new ChaCha20Poly1305(key).open(nonce, aad, sealed, 0, sealed.length, opened, 0);
        assertArrayEquals(INTERNET_DRAFTS, opened);
    }

    @Test
    void equalsTheJdkCipherForManyLengthsWithAndWithoutAad() throws Exception {
        Random random = new Random(82);
        for (int length = 0; length <= 5000; length += 1 + random.nextInt(length < 300 ? 3 : 97)) {
            byte[] key = new byte[32];
            byte[] nonce = new byte[12];
            random.nextBytes(key);
            random.nextBytes(nonce);
            byte[] aad = new byte[random.nextBoolean() ? 0 : random.nextInt(70)];
            random.nextBytes(aad);
            byte[] plaintext = new byte[length];
            random.nextBytes(plaintext);
            byte[] expected = jdk(Cipher.ENCRYPT_MODE, key, nonce, aad, plaintext);

            ChaCha20Poly1305 aead = new ChaCha20Poly1305(key);
            byte[] sealed = new byte[5 + length + 16];
            aead.seal(nonce, aad, plaintext, 0, length, sealed, 5);
            assertArrayEquals(expected, Arrays.copyOfRange(sealed, 5, sealed.length), "seal, length " + length);

            byte[] opened = new byte[length + 2];
            aead.open(nonce, aad, expected, 0, expected.length, opened, 2);
            assertArrayEquals(plaintext, Arrays.copyOfRange(opened, 2, opened.length), "open, length " + length);
        }
    }

    @Test
    void noiseNonceWordsEqualTheNoiseNonceLayout() throws Exception {
        byte[] key = new byte[32];
        new Random(3).nextBytes(key);
        ChaCha20Poly1305 aead = new ChaCha20Poly1305(key);
        for (long n : new long[] {0, 1, 255, 1L << 32, 0x0123456789abcdefL, -2L}) {
            byte[] nonce = new byte[12];
            for (int i = 0; i < 8; i++) {
                nonce[4 + i] = (byte) (n >>> (8 * i));
            }
            byte[] plaintext = ("message " + n).getBytes();
            byte[] expected = jdk(Cipher.ENCRYPT_MODE, key, nonce, new byte[0], plaintext);
            byte[] sealed = new byte[plaintext.length + 16];
            aead.seal(0, (int) n, (int) (n >>> 32), new byte[0], plaintext, 0, plaintext.length, sealed, 0);
            assertArrayEquals(expected, sealed, "nonce counter " + n);
        }
    }

    @Test
    void rejectsEveryTamperedByteAndLeavesTheOutputUntouched() {
        byte[] nonce = new byte[12];
        byte[] aad = {1, 2, 3};
        ChaCha20Poly1305 aead = new ChaCha20Poly1305(KEY_80_9F);
        byte[] sealed = new byte[SUNSCREEN.length + 16];
        aead.seal(nonce, aad, SUNSCREEN, 0, SUNSCREEN.length, sealed, 0);
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= (byte) (1 << (i % 8));
            byte[] out = new byte[SUNSCREEN.length];
            assertThrows(AEADBadTagException.class, () -> aead.open(nonce, aad, tampered, 0, tampered.length, out, 0),
                "byte " + i);
            assertArrayEquals(new byte[SUNSCREEN.length], out);
        }
        byte[] otherAad = {1, 2, 4};
        assertThrows(AEADBadTagException.class,
            () -> aead.open(nonce, otherAad, sealed, 0, sealed.length, new byte[SUNSCREEN.length], 0));
        byte[] otherNonce = new byte[12];
        otherNonce[11] = 1;
        assertThrows(AEADBadTagException.class,
            () -> aead.open(otherNonce, aad, sealed, 0, sealed.length, new byte[SUNSCREEN.length], 0));
        assertThrows(AEADBadTagException.class, () -> aead.open(nonce, aad, sealed, 0, 15, new byte[0], 0));
    }

    @Test
    void opensInPlace() throws Exception {
        ChaCha20Poly1305 aead = new ChaCha20Poly1305(KEY_80_9F);
        byte[] nonce = new byte[12];
        byte[] buffer = Arrays.copyOf(SUNSCREEN, SUNSCREEN.length + 16);
        aead.seal(nonce, new byte[0], buffer, 0, SUNSCREEN.length, buffer, 0);
        aead.open(nonce, new byte[0], buffer, 0, buffer.length, buffer, 0);
        assertArrayEquals(SUNSCREEN, Arrays.copyOf(buffer, SUNSCREEN.length));
    }

    @Test
    void refusesBadKeysNoncesAndRanges() {
        assertThrows(IllegalArgumentException.class, () -> new ChaCha20Poly1305(new byte[16]));
        ChaCha20Poly1305 aead = new ChaCha20Poly1305(KEY_80_9F);
        assertThrows(IllegalArgumentException.class,
            () -> aead.seal(new byte[8], new byte[0], new byte[1], 0, 1, new byte[17], 0));
        assertThrows(IndexOutOfBoundsException.class,
            () -> aead.seal(new byte[12], new byte[0], new byte[1], 0, 1, new byte[16], 0));
    }

    private static byte[] jdk(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) throws Exception {
        Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
        cipher.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(input);
    }
}
