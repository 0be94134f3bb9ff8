package dev.hyphae.node.identity;

import dev.hyphae.node.signing.ServerKeyLookup;
import dev.hyphae.node.signing.ServerVerifyKey;
import dev.hyphae.node.signing.VerifyKey;
import dev.hyphae.transport.router.OnionAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The signing keys of servers named by their key: a server name {@code <56 base32>.onion} is the
 * Tor v3 onion address of the server's Ed25519 key, so its key is read from the name and never
 * fetched. Any {@code ed25519:} key ID names that one key; other names and algorithms find nothing.
 * The keys of the last servers asked are kept decoded: reading the name (base32, SHA3 checksum) and
 * decoding the Ed25519 point cost about as much as a signature check, once per signature otherwise.
 * Thread-safe.
 */
public final class OnionServerKeys implements ServerKeyLookup {
    private static final int REMEMBERED = 1024;

    private record Name(String serverName, String keyId) {
    }

    private final Map<Name, ServerVerifyKey> decoded = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Name, ServerVerifyKey> eldest) {
            return size() > REMEMBERED;
        }
    };

    @Override
    public Optional<ServerVerifyKey> find(String serverName, String keyId) {
        if (keyId == null || !keyId.startsWith("ed25519:") || serverName == null) {
            return Optional.empty();
        }
        Name name = new Name(serverName, keyId);
        synchronized (decoded) {
            ServerVerifyKey known = decoded.get(name);
            if (known != null) {
                return Optional.of(known);
            }
        }
        Optional<ServerVerifyKey> found = publicKeyOf(serverName)
                .map(key -> new ServerVerifyKey(VerifyKey.fromBytes(keyId, key), Long.MAX_VALUE));
        found.ifPresent(key -> {
            synchronized (decoded) {
                decoded.put(name, key);
            }
        });
        return found;
    }

    /**
     * The Ed25519 public key an onion server name stands for; empty for any other name, a bad
     * checksum or a version other than 3.
     */
    public static Optional<byte[]> publicKeyOf(String serverName) {
        return OnionAddress.tryParse(serverName).map(OnionAddress::publicKey);
    }
}
