package dev.hyphae.node.identifier;

import java.security.SecureRandom;

/**
 * A client device ID. The spec treats device IDs as opaque strings chosen by the client or the
 * server; this type requires 1 to 255 bytes with no control characters and no unpaired surrogates,
 * and generates new ones from the RFC 3986 unreserved characters as the spec recommends.
 */
public final class DeviceId {
    private static final String KIND = "device ID";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final int GENERATED_LENGTH = 10;

    private final String value;

    private DeviceId(String value) {
        this.value = value;
    }

    public static DeviceId parse(String input) {
        if (input == null) {
            throw new InvalidIdentifierException(KIND, null, "missing");
        }
        if (input.isEmpty()) {
            throw new InvalidIdentifierException(KIND, input, "empty");
        }
        IdentifierText.checkLength(KIND, input);
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidIdentifierException(KIND, input, "contains a control character");
            }
        }
        String problem = IdentifierText.opaqueLocalpartProblem(input.replace(':', '_'));
        if (problem != null) {
            throw new InvalidIdentifierException(KIND, input, problem);
        }
        return new DeviceId(input);
    }

    /** A new random device ID of ten upper-case letters. */
    public static DeviceId generate(SecureRandom random) {
        char[] chars = new char[GENERATED_LENGTH];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new DeviceId(new String(chars));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeviceId id && id.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
