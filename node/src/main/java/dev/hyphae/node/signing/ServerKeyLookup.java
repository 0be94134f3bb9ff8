package dev.hyphae.node.signing;

import java.util.Optional;

/**
 * Finds a server's verification key by key ID among the keys this node already holds (fetched
 * keys, its own key). Implementations do not block on the network: fetch missing keys first.
 */
@FunctionalInterface
public interface ServerKeyLookup {
    Optional<ServerVerifyKey> find(String serverName, String keyId);
}
