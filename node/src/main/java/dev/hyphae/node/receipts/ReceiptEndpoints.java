package dev.hyphae.node.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /rooms/{roomId}/receipt/{receiptType}/{eventId}} ("Receipts") and
 * {@code POST /rooms/{roomId}/read_markers} ("Fully read markers").
 */
public final class ReceiptEndpoints implements EndpointGroup {
    private final ReceiptService receipts;

    public ReceiptEndpoints(ReceiptService receipts) {
        this.receipts = Objects.requireNonNull(receipts, "receipts");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.POST, "/_matrix/client/v3/rooms/{roomId}/receipt/{receiptType}/{eventId}",
                Authentication.REQUIRED, this::postReceipt);
        routes.add(Method.POST, "/_matrix/client/v3/rooms/{roomId}/read_markers", Authentication.REQUIRED,
                this::postReadMarkers);
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/receipt/{receiptType}/{eventId} */
    MatrixResponse postReceipt(MatrixRequest request) {
        String userId = request.requester().userId().toString();
        // Older clients send no body at all; the spec's body has only optional fields.
        JsonBody body = request.jsonObjectOrEmpty();
        Optional<String> threadId = threadId(body.raw().get("thread_id"));
        receipts.sendReceipt(userId, request.pathParameter("roomId"), request.pathParameter("receiptType"),
                request.pathParameter("eventId"), threadId);
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/read_markers */
    MatrixResponse postReadMarkers(MatrixRequest request) {
        String userId = request.requester().userId().toString();
        ObjectNode body = request.jsonObject().raw();
        receipts.setReadMarkers(userId, request.pathParameter("roomId"), eventId(body, ReceiptService.FULLY_READ),
                eventId(body, ReceiptService.READ), eventId(body, ReceiptService.READ_PRIVATE));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    private static Optional<String> threadId(JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw MatrixException.invalidParam("thread_id field must be a non-empty string");
        }
        return Optional.of(value.textValue());
    }

    private static Optional<String> eventId(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || !value.textValue().startsWith("$")) {
            throw MatrixException.badJson("Field '" + field + "' must be an event ID");
        }
        return Optional.of(value.textValue());
    }
}
