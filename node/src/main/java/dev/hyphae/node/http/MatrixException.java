package dev.hyphae.node.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A request that fails with one of the spec's standard error responses: an HTTP status and a JSON
 * body {@code {"errcode": ..., "error": ...}} plus any extra fields (for example
 * {@code retry_after_ms} or the user-interactive authentication flows). Handlers throw it (or
 * complete their future with it); the server turns it into the response.
 */
public class MatrixException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final String M_FORBIDDEN = "M_FORBIDDEN";
    public static final String M_UNKNOWN_TOKEN = "M_UNKNOWN_TOKEN";
    public static final String M_MISSING_TOKEN = "M_MISSING_TOKEN";
    public static final String M_BAD_JSON = "M_BAD_JSON";
    public static final String M_NOT_JSON = "M_NOT_JSON";
    public static final String M_NOT_FOUND = "M_NOT_FOUND";
    public static final String M_LIMIT_EXCEEDED = "M_LIMIT_EXCEEDED";
    public static final String M_UNRECOGNIZED = "M_UNRECOGNIZED";
    public static final String M_UNKNOWN = "M_UNKNOWN";
    public static final String M_UNAUTHORIZED = "M_UNAUTHORIZED";
    public static final String M_USER_DEACTIVATED = "M_USER_DEACTIVATED";
    public static final String M_USER_IN_USE = "M_USER_IN_USE";
    public static final String M_INVALID_USERNAME = "M_INVALID_USERNAME";
    public static final String M_INVALID_PARAM = "M_INVALID_PARAM";
    public static final String M_MISSING_PARAM = "M_MISSING_PARAM";
    public static final String M_TOO_LARGE = "M_TOO_LARGE";

    private final int status;
    private final String errcode;
    private final transient ObjectNode extra;

    public MatrixException(int status, String errcode, String message) {
        this(status, errcode, message, JsonNodeFactory.instance.objectNode());
    }

    /** An error whose body carries {@code extra}'s fields beside {@code errcode} and {@code error}. */
    public MatrixException(int status, String errcode, String message, ObjectNode extra) {
        super(Objects.requireNonNull(message, "message"));
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status is 4xx or 5xx, not " + status);
        }
        this.status = status;
        this.errcode = Objects.requireNonNull(errcode, "errcode");
        this.extra = Objects.requireNonNull(extra, "extra").deepCopy();
    }

    public int status() {
        return status;
    }

    public String errcode() {
        return errcode;
    }

    /** The response body: the extra fields, then {@code errcode} and {@code error}. */
    public ObjectNode body() {
        ObjectNode body = extra.deepCopy();
        body.put("errcode", errcode);
        body.put("error", getMessage());
        return body;
    }

    public static MatrixException badJson(String message) {
        return new MatrixException(400, M_BAD_JSON, message);
    }

    public static MatrixException notJson(String message) {
        return new MatrixException(400, M_NOT_JSON, message);
    }

    public static MatrixException missingParam(String message) {
        return new MatrixException(400, M_MISSING_PARAM, message);
    }

    public static MatrixException invalidParam(String message) {
        return new MatrixException(400, M_INVALID_PARAM, message);
    }

    public static MatrixException forbidden(String message) {
        return new MatrixException(403, M_FORBIDDEN, message);
    }

    public static MatrixException notFound(String message) {
        return new MatrixException(404, M_NOT_FOUND, message);
    }

    public static MatrixException missingToken() {
        return new MatrixException(401, M_MISSING_TOKEN, "Missing access token");
    }

    /** An unknown, revoked or expired access token; {@code softLogout} tells the client to refresh. */
    public static MatrixException unknownToken(String message, boolean softLogout) {
        ObjectNode extra = JsonNodeFactory.instance.objectNode();
        extra.put("soft_logout", softLogout);
        return new MatrixException(401, M_UNKNOWN_TOKEN, message, extra);
    }

    public static MatrixException limitExceeded(long retryAfterMs) {
        ObjectNode extra = JsonNodeFactory.instance.objectNode();
        extra.put("retry_after_ms", retryAfterMs);
        return new MatrixException(429, M_LIMIT_EXCEEDED, "Too many requests", extra);
    }

    public static MatrixException tooLarge(String message) {
        return new MatrixException(413, M_TOO_LARGE, message);
    }

    public static MatrixException unrecognized(int status, String message) {
        return new MatrixException(status, M_UNRECOGNIZED, message);
    }
}
