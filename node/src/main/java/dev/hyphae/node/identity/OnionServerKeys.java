package dev.hyphae.node.identity;

import dev.hyphae.node.signing.ServerKeyLookup;
import dev.hyphae.node.signing.ServerVerifyKey;
import dev.hyphae.node.signing.VerifyKey;
import dev.hyphae.transport.router.OnionAddress;
import java.util.Optional;

/**
 * The signing keys of servers named by their key: a server name {@code <56 base32>.onion} is the
 * Tor v3 onion address of the server's Ed25519 key, so its key is read from the name and never
 * fetched. Any {@code ed25519:} key ID names that one key; other names and algorithms find nothing.
 */
public final class OnionServerKeys implements ServerKeyLookup {
    @Override
    public Optional<ServerVerifyKey> find(String serverName, String keyId) {
        if (keyId == null || !keyId.startsWith("ed25519:")) {
            return Optional.empty();
        }
        return publicKeyOf(serverName)
                .map(key -> new ServerVerifyKey(VerifyKey.fromBytes(keyId, key), Long.MAX_VALUE));
    }

    /**
     * The Ed25519 public key an onion server name stands for; empty for any other name, a bad
     * checksum or a version other than 3.
     */
    public static Optional<byte[]> publicKeyOf(String serverName) {
        return OnionAddress.tryParse(serverName).map(OnionAddress::publicKey);
    }
}
