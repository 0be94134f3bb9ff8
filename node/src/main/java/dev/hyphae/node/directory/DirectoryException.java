package dev.hyphae.node.directory;

/** A refusal of the room directory, with the spec's error code and HTTP status. */
public final class DirectoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String errcode;

    public DirectoryException(int httpStatus, String errcode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errcode = errcode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String errcode() {
        return errcode;
    }

    static DirectoryException notFound(String message) {
        return new DirectoryException(404, "M_NOT_FOUND", message);
    }

    static DirectoryException forbidden(String message) {
        return new DirectoryException(403, "M_FORBIDDEN", message);
    }

    static DirectoryException invalidParam(String message) {
        return new DirectoryException(400, "M_INVALID_PARAM", message);
    }

    static DirectoryException badJson(String message) {
        return new DirectoryException(400, "M_BAD_JSON", message);
    }

    static DirectoryException badAlias(String message) {
        return new DirectoryException(400, "M_BAD_ALIAS", message);
    }
}
