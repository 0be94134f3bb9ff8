package dev.hyphae.node.account;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Pre-shared registration tokens (the {@code m.login.registration_token} stage), each with a number
 * of uses left. Kept in memory: tokens are configured when the node starts.
 */
public final class RegistrationTokens {
    /** The spec's opaque identifier grammar, at most 64 characters. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~-]{1,64}");

    private final Map<String, Integer> usesLeft = new HashMap<>();

    /**
     * Adds a token valid for {@code uses} registrations.
     *
     * @throws IllegalArgumentException for a token outside the grammar or a non-positive count
     */
    public synchronized void add(String token, int uses) {
        Objects.requireNonNull(token, "token");
        if (!TOKEN.matcher(token).matches() || uses < 1) {
            throw new IllegalArgumentException("a registration token is 1-64 of [A-Za-z0-9._~-], with at least one use");
        }
        usesLeft.merge(token, uses, Integer::sum);
    }

    public synchronized boolean isEmpty() {
        return usesLeft.isEmpty();
    }

    public synchronized boolean isValid(String token) {
        return token != null && usesLeft.getOrDefault(token, 0) > 0;
    }

    /** Uses the token once, when the registration it allowed has completed; false if it ran out. */
    public synchronized boolean consume(String token) {
        Integer left = usesLeft.get(token);
        if (left == null || left < 1) {
            return false;
        }
        if (left == 1) {
            usesLeft.remove(token);
        } else {
            usesLeft.put(token, left - 1);
        }
        return true;
    }
}
