package dev.hyphae.transport.libp2p.noise;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The Noise SymmetricState (spec section 5.2) with SHA-256: the chaining key {@code ck}, the
 * handshake hash {@code h} and a {@link CipherState}.
 */
public final class SymmetricState {

    static final int HASHLEN = 32;

    private byte[] ck;
    private byte[] h;
    private final CipherState cipherState = new CipherState();

    /** InitializeSymmetric(protocol_name). */
    public SymmetricState(String protocolName) {
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= HASHLEN ? java.util.Arrays.copyOf(name, HASHLEN) : hash(name);
        ck = h.clone();
    }

    /** MixKey(input_key_material). */
    public void mixKey(byte[] inputKeyMaterial) {
        byte[][] out = hkdf(ck, inputKeyMaterial);
        ck = out[0];
        cipherState.initializeKey(out[1]);
    }

    /** MixHash(data). */
    public void mixHash(byte[] data) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(h, 0, h.length);
        digest.update(data, 0, data.length);
        h = new byte[HASHLEN];
        digest.doFinal(h, 0);
    }

    /** EncryptAndHash(plaintext). */
    public byte[] encryptAndHash(byte[] plaintext) {
        byte[] ciphertext = cipherState.encryptWithAd(h, plaintext);
        mixHash(ciphertext);
        return ciphertext;
    }

    /** DecryptAndHash(ciphertext). */
    public byte[] decryptAndHash(byte[] ciphertext) {
        byte[] plaintext = cipherState.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return plaintext;
    }

    /** Split(): the initiator's sending cipher first, the responder's second. */
    public CipherState[] split() {
        byte[][] keys = hkdf(ck, new byte[0]);
        CipherState c1 = new CipherState();
        c1.initializeKey(keys[0]);
        CipherState c2 = new CipherState();
        c2.initializeKey(keys[1]);
        return new CipherState[] {c1, c2};
    }

    boolean hasKey() {
        return cipherState.hasKey();
    }

    /** The handshake hash h, usable as a channel binding once the handshake is done. */
    public byte[] handshakeHash() {
        return h.clone();
    }

    static byte[] hash(byte[] data) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(data, 0, data.length);
        byte[] out = new byte[HASHLEN];
        digest.doFinal(out, 0);
        return out;
    }

    /** HKDF(chaining_key, input_key_material, 2) as spec section 4.3 defines it. */
    static byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial) {
        byte[] tempKey = hmac(chainingKey, inputKeyMaterial);
        byte[] output1 = hmac(tempKey, new byte[] {0x01});
        byte[] input2 = java.util.Arrays.copyOf(output1, HASHLEN + 1);
        input2[HASHLEN] = 0x02;
        byte[] output2 = hmac(tempKey, input2);
        return new byte[][] {output1, output2};
    }

    static byte[] hmac(byte[] key, byte[] data) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[HASHLEN];
        mac.doFinal(out, 0);
        return out;
    }
}
