package dev.hyphae.node.sync;

import dev.hyphae.node.http.MatrixException;
import java.util.Arrays;

/**
 * The {@code next_batch} / {@code since} of /sync: one position per stream, in the order the
 * streams are registered with {@link SyncEndpoints} (room events and account data first). Clients
 * see an opaque string {@code s<p0>_<p1>_...}; a token with fewer positions than there are streams
 * (made before a stream was added) starts the missing streams at zero.
 */
public final class SyncToken {
    /** Where an initial sync starts: before everything. */
    public static final SyncToken ZERO = new SyncToken(new long[0]);

    private static final int MAX_STREAMS = 16;
    private static final int MAX_LENGTH = 1 + MAX_STREAMS * 19;

    private final long[] positions;

    private SyncToken(long[] positions) {
        for (long position : positions) {
            if (position < 0) {
                throw new IllegalArgumentException("stream positions must not be negative");
            }
        }
        if (positions.length > MAX_STREAMS) {
            throw new IllegalArgumentException("at most " + MAX_STREAMS + " streams");
        }
        this.positions = positions;
    }

    public static SyncToken of(long... positions) {
        return new SyncToken(positions.clone());
    }

    /** The position of stream {@code index}, zero when the token predates that stream. */
    public long position(int index) {
        return index < positions.length ? positions[index] : 0;
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
        String[] parts = token.substring(1).split("_", -1);
        if (parts.length < 2 || parts.length > MAX_STREAMS) {
            throw invalid(token);
        }
        long[] positions = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            positions[i] = number(parts[i], token);
        }
        return new SyncToken(positions);
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
    public boolean equals(Object other) {
        return other instanceof SyncToken that && Arrays.equals(positions, that.positions);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(positions);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("s");
        for (int i = 0; i < Math.max(positions.length, 2); i++) {
            if (i > 0) {
                text.append('_');
            }
            text.append(position(i));
        }
        return text.toString();
    }
}
