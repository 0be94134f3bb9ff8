package dev.hyphae.node.e2ee;

import java.util.Map;
import java.util.Objects;

/**
 * A refused end-to-end encryption request, with the Matrix error code and HTTP status the spec
 * gives for it, and any extra response fields (such as {@code current_version}).
 */
public final class E2eeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errcode;
    private final int httpStatus;
    private final Map<String, String> extraFields;

    public E2eeException(String errcode, int httpStatus, String message, Map<String, String> extraFields) {
        super(message);
        this.errcode = Objects.requireNonNull(errcode, "errcode");
        this.httpStatus = httpStatus;
        this.extraFields = Map.copyOf(extraFields);
    }

    public E2eeException(String errcode, int httpStatus, String message) {
        this(errcode, httpStatus, message, Map.of());
    }

    static E2eeException invalidParam(String message) {
        return new E2eeException("M_INVALID_PARAM", 400, message);
    }

    static E2eeException badJson(String message) {
        return new E2eeException("M_BAD_JSON", 400, message);
    }

    static E2eeException missingParam(String message) {
        return new E2eeException("M_MISSING_PARAM", 400, message);
    }

    static E2eeException invalidSignature(String message) {
        return new E2eeException("M_INVALID_SIGNATURE", 400, message);
    }

    static E2eeException notFound(String message) {
        return new E2eeException("M_NOT_FOUND", 404, message);
    }

    static E2eeException forbidden(String message) {
        return new E2eeException("M_FORBIDDEN", 403, message);
    }

    static E2eeException wrongRoomKeysVersion(String currentVersion) {
        return new E2eeException("M_WRONG_ROOM_KEYS_VERSION", 403, "wrong backup version",
                Map.of("current_version", currentVersion));
    }

    /** The Matrix error code, e.g. {@code M_INVALID_SIGNATURE}. */
    public String errcode() {
        return errcode;
    }

    /** The HTTP status the spec gives for this error. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Fields to add to the error response besides {@code errcode} and {@code error}. */
    public Map<String, String> extraFields() {
        return extraFields;
    }
}
