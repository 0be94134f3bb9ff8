package dev.hyphae.node.federation;

import java.util.Objects;

/**
 * A server-server request that failed: the destination could not be reached (status 0), or it
 * answered with an error status and Matrix errcode.
 */
public final class FederationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String destination;
    private final int status;
    private final String errcode;

    public FederationException(String destination, int status, String errcode, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.destination = Objects.requireNonNull(destination, "destination");
        this.status = status;
        this.errcode = errcode;
    }

    /** No carrier reached {@code destination}; worth retrying later. */
    public static FederationException unreachable(String destination, String reason, Throwable cause) {
        return new FederationException(destination, 0, null, destination + " unreachable: " + reason, cause);
    }

    /** {@code destination} answered {@code status} with {@code errcode} (may be null for non-Matrix bodies). */
    public static FederationException answered(String destination, int status, String errcode, String error) {
        return new FederationException(destination, status, errcode,
                destination + " answered " + status + (errcode == null ? "" : " " + errcode) + ": " + error, null);
    }

    public String destination() {
        return destination;
    }

    public boolean unreachable() {
        return status == 0;
    }

    /**
     * Whether asking again later should succeed: unreachable, or an answer that says so (429, 502,
     * 503, 504). A 500 is not counted: it may be the same for every retry.
     */
    public boolean passing() {
        return status == 0 || status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** The HTTP status of the answer, or 0 when unreachable. */
    public int status() {
        return status;
    }

    /** The Matrix errcode of the answer, or null. */
    public String errcode() {
        return errcode;
    }
}
