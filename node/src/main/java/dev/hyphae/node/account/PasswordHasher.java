package dev.hyphae.node.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format,
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>} (unpadded base64), so that a
 * stored hash carries its own cost and salt and stays verifiable after the settings change.
 */
public final class PasswordHasher {
    private static final Pattern ENCODED = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Argon2Settings settings;
    private final SecureRandom random;

    public PasswordHasher(Argon2Settings settings, SecureRandom random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new salted hash of the password with the current settings. */
    public String hash(String password) {
        Objects.requireNonNull(password, "password");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, settings, HASH_BYTES);
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + settings.memoryKiB() + ",t=" + settings.iterations() + ",p="
                + settings.parallelism() + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    /**
     * Whether the password matches the encoded hash. A malformed or foreign hash never matches
     * (it is not an error: the account simply cannot log in with a password).
     */
    public boolean verify(String password, String encoded) {
        Objects.requireNonNull(password, "password");
        if (encoded == null) {
            return false;
        }
        Matcher parts = ENCODED.matcher(encoded);
        if (!parts.matches()) {
            return false;
        }
        Argon2Settings cost;
        byte[] salt;
        byte[] expected;
        try {
            cost = new Argon2Settings(Integer.parseInt(parts.group(1)), Integer.parseInt(parts.group(2)),
                    Integer.parseInt(parts.group(3)));
            salt = Base64.getDecoder().decode(parts.group(4));
            expected = Base64.getDecoder().decode(parts.group(5));
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] actual = derive(password, salt, cost, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends the time of one verification, so that an unknown user answers as slowly as a known one. */
    public void verifyNothing(String password) {
        derive(Objects.requireNonNull(password, "password"), new byte[SALT_BYTES], settings, HASH_BYTES);
    }

    private static byte[] derive(String password, byte[] salt, Argon2Settings cost, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKiB())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] passwordBytes = password.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        try {
            generator.generateBytes(passwordBytes, out);
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
        return out;
    }
}
