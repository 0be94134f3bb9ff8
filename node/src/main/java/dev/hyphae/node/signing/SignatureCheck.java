package dev.hyphae.node.signing;

import java.util.Objects;

/** The outcome of checking signatures or hashes: valid, or invalid with the reason. */
public record SignatureCheck(boolean valid, String reason) {
    private static final SignatureCheck VALID = new SignatureCheck(true, "");

    public SignatureCheck {
        Objects.requireNonNull(reason, "reason");
    }

    public static SignatureCheck ok() {
        return VALID;
    }

    public static SignatureCheck invalid(String reason) {
        return new SignatureCheck(false, reason);
    }
}
