package dev.hyphae.node.auth;

import java.util.Objects;

/** The outcome of checking an event against the authorization rules: allowed, or rejected with the reason. */
public record AuthDecision(boolean allowed, String reason) {
    private static final AuthDecision ALLOW = new AuthDecision(true, "");

    public AuthDecision {
        Objects.requireNonNull(reason, "reason");
    }

    public static AuthDecision allow() {
        return ALLOW;
    }

    public static AuthDecision reject(String reason) {
        return new AuthDecision(false, reason);
    }
}
