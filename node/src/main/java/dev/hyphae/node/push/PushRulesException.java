package dev.hyphae.node.push;

/**
 * A request about push rules the spec says to refuse; {@link #errcode()} and
 * {@link #httpStatus()} are the Matrix error to answer with.
 */
public final class PushRulesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errcode;
    private final int httpStatus;

    public PushRulesException(String errcode, int httpStatus, String message) {
        super(message);
        this.errcode = errcode;
        this.httpStatus = httpStatus;
    }

    static PushRulesException notFound(String message) {
        return new PushRulesException("M_NOT_FOUND", 404, message);
    }

    static PushRulesException invalidParam(String message) {
        return new PushRulesException("M_INVALID_PARAM", 400, message);
    }

    static PushRulesException badJson(String message) {
        return new PushRulesException("M_BAD_JSON", 400, message);
    }

    static PushRulesException missingParam(String message) {
        return new PushRulesException("M_MISSING_PARAM", 400, message);
    }

    /** The spec's example answer to a {@code before}/{@code after} naming no usable rule. */
    static PushRulesException unknown(String message) {
        return new PushRulesException("M_UNKNOWN", 400, message);
    }

    public String errcode() {
        return errcode;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
