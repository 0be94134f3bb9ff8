package dev.hyphae.node.signing;

/** The appendix's cryptographic test vector key: server "domain", key ID "ed25519:1". */
public final class TestKeys {
    public static final String SERVER_NAME = "domain";
    public static final String KEY_ID = "ed25519:1";
    public static final String SEED_BASE64 = "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1";

    private TestKeys() {
    }

    public static SigningKey appendixKey() {
        return SigningKey.fromSeed(KEY_ID, UnpaddedBase64.decode(SEED_BASE64));
    }
}
