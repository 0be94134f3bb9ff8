package dev.hyphae.node.sync;

import dev.hyphae.node.http.MatrixException;

/**
 * The {@code next_batch} / {@code since} of /sync: one position per stream, the room event stream
 * and the account data stream. Clients see an opaque string {@code s<events>_<accountData>}.
 */
public record SyncToken(long events, long accountData) {
    /** Where an initial sync starts: before everything. */
    public static final SyncToken ZERO = new SyncToken(0, 0);

    private static final int MAX_LENGTH = 42;

    public SyncToken {
        if (events < 0 || accountData < 0) {
            throw new IllegalArgumentException("stream positions must not be negative");
        }
    }

    /**
     * Reads a token a client sends back.
     *
     * @throws MatrixException M_INVALID_PARAM when the string is not a token this node made
     */
    public static SyncToken parse(String token) {
        if (token == null || token.length() > MAX_LENGTH || !token.startsWith("s")) {
            throw invalid(token);
        }
        int separator = token.indexOf('_');
        if (separator < 0) {
            throw invalid(token);
        }
        return new SyncToken(number(token.substring(1, separator), token), number(token.substring(separator + 1), token));
    }

    private static long number(String digits, String token) {
        if (digits.isEmpty() || digits.length() > 18) {
            throw invalid(token);
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                throw invalid(token);
            }
        }
        return Long.parseLong(digits);
    }

    private static MatrixException invalid(String token) {
        return MatrixException.invalidParam("Not a sync token of this server: " + token);
    }

    @Override
    public String toString() {
        return "s" + events + "_" + accountData;
    }
}
