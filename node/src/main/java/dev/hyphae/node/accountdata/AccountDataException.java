package dev.hyphae.node.accountdata;

/**
 * A request about account data the spec says to refuse; {@link #errcode()} and
 * {@link #httpStatus()} are the Matrix error to answer with.
 */
public final class AccountDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errcode;
    private final int httpStatus;

    public AccountDataException(String errcode, int httpStatus, String message) {
        super(message);
        this.errcode = errcode;
        this.httpStatus = httpStatus;
    }

    static AccountDataException notFound(String message) {
        return new AccountDataException("M_NOT_FOUND", 404, message);
    }

    static AccountDataException invalidParam(String message) {
        return new AccountDataException("M_INVALID_PARAM", 400, message);
    }

    static AccountDataException badJson(int httpStatus, String message) {
        return new AccountDataException("M_BAD_JSON", httpStatus, message);
    }

    public String errcode() {
        return errcode;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
