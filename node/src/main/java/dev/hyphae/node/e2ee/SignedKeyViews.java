package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.store.KeySignature;
import dev.hyphae.store.ReadTransaction;

/**
 * Stored keys as a given user sees them: with the signatures uploaded separately added, except
 * signatures made by another user's user-signing key, which only that user may see.
 */
final class SignedKeyViews {
    private SignedKeyViews() {
    }

    /** A copy of {@code key} (owned by {@code ownerUserId}, known as {@code targetKeyId}) for {@code viewerUserId}. */
    static ObjectNode withSignatures(ReadTransaction tx, ObjectNode key, String ownerUserId, String targetKeyId,
                                     String viewerUserId) {
        ObjectNode view = key.deepCopy();
        for (KeySignature signature : tx.keySignatures().onKey(ownerUserId, targetKeyId)) {
            if (signature.signerUserId().equals(ownerUserId) || signature.signerUserId().equals(viewerUserId)) {
                JsonSigning.addSignature(view, signature.signerUserId(), signature.signerKeyId(), signature.signature());
            }
        }
        return view;
    }
}
