package dev.hyphae.node.signing;

/** Checks signing key identifiers: {@code algorithm:version}, the version made of {@code [a-zA-Z0-9_]}. */
final class KeyId {
    static final String ED25519_PREFIX = "ed25519:";

    private KeyId() {
    }

    /**
     * Checks the ID of a key published by another server: {@code ed25519:} and a non-empty version.
     * The version's character set is not enforced, so that keys of servers that stray from it still verify.
     */
    static String requireEd25519Published(String keyId) {
        if (keyId == null || !keyId.startsWith(ED25519_PREFIX) || keyId.length() == ED25519_PREFIX.length()) {
            throw new IllegalArgumentException("key ID must be \"ed25519:\" followed by a version, got " + keyId);
        }
        return keyId;
    }

    /** Checks the ID of a key this server signs with: {@code ed25519:} and a version of {@code [a-zA-Z0-9_]}. */
    static String requireEd25519(String keyId) {
        if (keyId == null || !keyId.startsWith(ED25519_PREFIX) || keyId.length() == ED25519_PREFIX.length()) {
            throw new IllegalArgumentException("key ID must be \"ed25519:\" followed by a version, got " + keyId);
        }
        for (int i = ED25519_PREFIX.length(); i < keyId.length(); i++) {
            char c = keyId.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                throw new IllegalArgumentException("key ID version may only use [a-zA-Z0-9_], got " + keyId);
            }
        }
        return keyId;
    }
}
