package dev.hyphae.node.signing;

/** Checks signing key identifiers: {@code algorithm:version}, the version made of {@code [a-zA-Z0-9_]}. */
final class KeyId {
    static final String ED25519_PREFIX = "ed25519:";

    private KeyId() {
    }

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
