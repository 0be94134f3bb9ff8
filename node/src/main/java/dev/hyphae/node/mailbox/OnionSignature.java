package dev.hyphae.node.mailbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.identity.OnionServerKeys;
import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.node.signing.SignatureCheck;
import dev.hyphae.node.signing.VerifyKey;
import java.util.Optional;

/** Checks that signed JSON was signed by the key an onion server name stands for (no key lookup). */
final class OnionSignature {
    private OnionSignature() {
    }

    static SignatureCheck verify(ObjectNode object, String serverName) {
        Optional<byte[]> key = OnionServerKeys.publicKeyOf(serverName);
        if (key.isEmpty()) {
            return SignatureCheck.invalid(serverName + " is not an onion server name");
        }
        return JsonSigning.verify(object, serverName, (entity, keyId) -> entity.equals(serverName)
                && keyId.startsWith("ed25519:") ? Optional.of(VerifyKey.fromBytes(keyId, key.get())) : Optional.empty());
    }
}
