package dev.hyphae.store;

import java.util.List;

/** Signatures on device keys and cross-signing keys uploaded separately from the keys. */
public interface KeySignatures {
    /** Every stored signature on the key, ordered by signer user ID and signer key ID. */
    List<KeySignature> onKey(String targetUserId, String targetKeyId);

    interface Writer extends KeySignatures {
        /** Stores the signature, replacing one by the same signer key on the same target key. */
        void put(KeySignature signature);

        /** Deletes every signature on the key; returns how many. */
        int deleteOnKey(String targetUserId, String targetKeyId);
    }
}
