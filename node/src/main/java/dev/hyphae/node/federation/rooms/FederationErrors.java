package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.MatrixException;

/** Error answers of the server-server API that the shared {@link MatrixException} factories lack. */
final class FederationErrors {
    private FederationErrors() {
    }

    /** 400 {@code M_INCOMPATIBLE_ROOM_VERSION}: the asking server does not support the room's version. */
    static MatrixException incompatibleRoomVersion(String roomVersion) {
        ObjectNode extra = JsonNodeFactory.instance.objectNode();
        extra.put("room_version", roomVersion);
        return new MatrixException(400, "M_INCOMPATIBLE_ROOM_VERSION",
                "Your server does not support room version " + roomVersion, extra);
    }

    /** 400 {@code M_UNSUPPORTED_ROOM_VERSION}: this server does not support the room's version. */
    static MatrixException unsupportedRoomVersion(String roomVersion) {
        return new MatrixException(400, "M_UNSUPPORTED_ROOM_VERSION", "Room version " + roomVersion
                + " is not supported by this server");
    }
}
