package dev.hyphae.node.roomserver;

import java.util.Objects;

/** A room operation was refused; the kind says which client-server error it stands for. */
public final class RoomServerException extends RuntimeException {

    /** Why the operation was refused, in the terms of the client-server API's error codes. */
    public enum Kind {
        /** The authorization rules (or a membership precondition) refused the event: {@code M_FORBIDDEN}. */
        FORBIDDEN,
        /** The room or event is not known here: {@code M_NOT_FOUND}. */
        NOT_FOUND,
        /** The request itself is malformed: {@code M_BAD_JSON} / {@code M_INVALID_PARAM}. */
        BAD_REQUEST,
        /** The event would exceed the 64 KiB event size limit: {@code M_TOO_LARGE} (413). */
        TOO_LARGE,
        /** The requested room version is not supported: {@code M_UNSUPPORTED_ROOM_VERSION}. */
        UNSUPPORTED_ROOM_VERSION,
        /** The initial state of a new room breaks the rules: {@code M_INVALID_ROOM_STATE}. */
        INVALID_ROOM_STATE
    }

    private final Kind kind;

    public RoomServerException(Kind kind, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public RoomServerException(Kind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    static RoomServerException forbidden(String reason) {
        return new RoomServerException(Kind.FORBIDDEN, reason);
    }

    static RoomServerException notFound(String reason) {
        return new RoomServerException(Kind.NOT_FOUND, reason);
    }

    static RoomServerException badRequest(String reason) {
        return new RoomServerException(Kind.BAD_REQUEST, reason);
    }

    public Kind kind() {
        return kind;
    }
}
