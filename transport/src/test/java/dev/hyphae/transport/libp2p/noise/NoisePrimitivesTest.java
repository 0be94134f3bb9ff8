package dev.hyphae.transport.libp2p.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** Known answers for each primitive the Noise handshake combines. */
class NoisePrimitivesTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void x25519MatchesRfc7748Section6() {
        DhKeyPair alice = DhKeyPair.fromPrivateKey(
            HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        DhKeyPair bob = DhKeyPair.fromPrivateKey(
            HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", HEX.formatHex(alice.publicKey()));
        assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", HEX.formatHex(bob.publicKey()));
        String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertEquals(shared, HEX.formatHex(alice.dh(bob.publicKey())));
        assertEquals(shared, HEX.formatHex(bob.dh(alice.publicKey())));
    }

    @Test
    void x25519RejectsLowOrderPoints() {
        DhKeyPair alice = DhKeyPair.fromPrivateKey(new byte[32]);
        assertThrows(NoiseException.class, () -> alice.dh(new byte[32]));
    }

    @Test
    void chaCha20Poly1305MatchesRfc8439Section2_8_2() throws Exception {
        byte[] key = HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = HEX.parseHex("070000004041424344454647");
        byte[] aad = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
        byte[] plaintext = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
            + "future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        ChaCha20Poly1305 aead = new ChaCha20Poly1305();
        aead.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] out = new byte[aead.getOutputSize(plaintext.length)];
        aead.doFinal(out, aead.processBytes(plaintext, 0, plaintext.length, out, 0));
        assertEquals("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
            + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e"
            + "4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691", HEX.formatHex(out));
    }

    @Test
    void cipherStateNonceIsFourZeroBytesThenLittleEndianCounter() throws Exception {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        CipherState cs = new CipherState();
        cs.initializeKey(key);
        byte[] ad = {1, 2};
        byte[] first = cs.encryptWithAd(ad, new byte[] {9});
        byte[] second = cs.encryptWithAd(ad, new byte[] {9});
        assertArrayEquals(raw(key, HEX.parseHex("000000000000000000000000"), ad, new byte[] {9}), first);
        assertArrayEquals(raw(key, HEX.parseHex("000000000100000000000000"), ad, new byte[] {9}), second);

        CipherState receiver = new CipherState();
        receiver.initializeKey(key);
        assertArrayEquals(new byte[] {9}, receiver.decryptWithAd(ad, first));
        byte[] tampered = second.clone();
        tampered[0] ^= 1;
        assertThrows(NoiseException.class, () -> receiver.decryptWithAd(ad, tampered));
        assertArrayEquals(new byte[] {9}, receiver.decryptWithAd(ad, second));
    }

    private static byte[] raw(byte[] key, byte[] nonce, byte[] ad, byte[] plaintext) throws Exception {
        ChaCha20Poly1305 aead = new ChaCha20Poly1305();
        aead.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, ad));
        byte[] out = new byte[aead.getOutputSize(plaintext.length)];
        aead.doFinal(out, aead.processBytes(plaintext, 0, plaintext.length, out, 0));
        return out;
    }

    @Test
    void noiseHkdfEqualsRfc5869TestCaseThree() {
        // RFC 5869 A.3: SHA-256, empty salt (Noise's chaining key), empty info; Noise's two outputs
        // are the first 64 bytes of the same OKM
        byte[][] out = SymmetricState.hkdf(new byte[0], HEX.parseHex("0b".repeat(22)));
        byte[] okm = new byte[64];
        System.arraycopy(out[0], 0, okm, 0, 32);
        System.arraycopy(out[1], 0, okm, 32, 32);
        assertEquals("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
            HEX.formatHex(Arrays.copyOf(okm, 42)));
    }

    @Test
    void sha256MatchesFipsExample() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            HEX.formatHex(SymmetricState.hash("abc".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void protocolNameOfThirtyTwoBytesIsUsedAsTheInitialHashUnhashed() {
        SymmetricState ss = new SymmetricState(HandshakeState.PROTOCOL_NAME);
        assertArrayEquals(HandshakeState.PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII), ss.handshakeHash());
    }
}
