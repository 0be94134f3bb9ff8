package dev.hyphae.node.roomserver;

import java.util.Objects;

/**
 * The transaction ID a client sent a request with, scoped as the spec scopes it: to one device and
 * one endpoint. {@code requestPath} names the endpoint and contains the transaction ID (for example
 * {@code /rooms/!r:example.org/send/m.room.message/txn1}); a retransmission with the same user,
 * device and path gets the first event ID back. The device must be stored (the record is deleted
 * with it).
 */
public record ClientTxn(String deviceId, String requestPath) {
    public ClientTxn {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(requestPath, "requestPath");
        if (deviceId.isEmpty() || requestPath.isEmpty()) {
            throw RoomServerException.badRequest("device ID and request path of a transaction must not be empty");
        }
    }
}
