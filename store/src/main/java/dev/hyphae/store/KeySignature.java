package dev.hyphae.store;

import java.util.Objects;

/**
 * A signature uploaded with {@code /keys/signatures/upload}, kept apart from the signed key so that
 * re-uploading the key does not drop it.
 *
 * @param targetUserId the owner of the signed key
 * @param targetKeyId  the signed key: a device ID, or the public key of a cross-signing key
 * @param signerUserId the user whose key made the signature
 * @param signerKeyId  the signing key ID, {@code ed25519:<device ID or public key>}
 * @param signature    the unpadded base64 signature
 */
public record KeySignature(String targetUserId, String targetKeyId, String signerUserId, String signerKeyId,
                           String signature) {
    public KeySignature {
        Objects.requireNonNull(targetUserId, "targetUserId");
        Objects.requireNonNull(targetKeyId, "targetKeyId");
        Objects.requireNonNull(signerUserId, "signerUserId");
        Objects.requireNonNull(signerKeyId, "signerKeyId");
        Objects.requireNonNull(signature, "signature");
    }
}
