package dev.hyphae.node.profile;

/**
 * A request about profiles the spec says to refuse; {@link #errcode()} and
 * {@link #httpStatus()} are the Matrix error to answer with.
 */
public final class ProfileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errcode;
    private final int httpStatus;

    public ProfileException(String errcode, int httpStatus, String message) {
        super(message);
        this.errcode = errcode;
        this.httpStatus = httpStatus;
    }

    static ProfileException notFound(String message) {
        return new ProfileException("M_NOT_FOUND", 404, message);
    }

    static ProfileException invalidParam(String message) {
        return new ProfileException("M_INVALID_PARAM", 400, message);
    }

    static ProfileException badJson(String message) {
        return new ProfileException("M_BAD_JSON", 400, message);
    }

    static ProfileException missingParam(String message) {
        return new ProfileException("M_MISSING_PARAM", 400, message);
    }

    public String errcode() {
        return errcode;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
