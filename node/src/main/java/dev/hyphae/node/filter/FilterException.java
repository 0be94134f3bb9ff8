package dev.hyphae.node.filter;

/**
 * A request about filters the spec says to refuse; {@link #errcode()} and
 * {@link #httpStatus()} are the Matrix error to answer with.
 */
public final class FilterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errcode;
    private final int httpStatus;

    public FilterException(String errcode, int httpStatus, String message) {
        super(message);
        this.errcode = errcode;
        this.httpStatus = httpStatus;
    }

    static FilterException notFound(String message) {
        return new FilterException("M_NOT_FOUND", 404, message);
    }

    static FilterException invalidParam(String message) {
        return new FilterException("M_INVALID_PARAM", 400, message);
    }

    static FilterException badJson(String message) {
        return new FilterException("M_BAD_JSON", 400, message);
    }

    public String errcode() {
        return errcode;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
