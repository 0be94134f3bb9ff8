package dev.hyphae.node.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.http.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * A transaction too large for the largest envelope, cut into smaller transactions that each fit:
 * the same PDUs and EDUs in the same order, fewer in each. To-device EDUs come first, as the
 * receiver handles them before the PDUs (a room key must arrive before the event it decrypts),
 * then the PDUs, then the other EDUs.
 *
 * <p>Each part's transaction ID is the whole's with the range of items it holds, so a retry that
 * cuts the same transaction the same way deposits parts the receiver recognises, and one that cuts
 * it otherwise (a different timestamp changed a size) never shares an ID with a part holding other
 * items: an item may then arrive twice (PDUs are stored once by event ID), but none is lost.
 */
final class TransactionParts {
    private static final String SEND_PREFIX = "/_matrix/federation/v1/send/";
    private static final String TO_DEVICE = "m.direct_to_device";

    private TransactionParts() {
    }

    /** Whether {@code request} is a transaction, which alone may be cut. */
    static boolean isTransaction(FederationRequest request) {
        return request.method() == Method.PUT && request.uri().startsWith(SEND_PREFIX)
                && request.body() != null && request.body().isObject();
    }

    /**
     * The parts of {@code transaction}: itself when {@code size} of it is at most {@code limit}.
     *
     * @param size  the bytes a request takes once sealed for a mailbox (its payload)
     * @throws IllegalArgumentException when a single PDU or EDU is larger than {@code limit}
     */
    static List<FederationRequest> cut(FederationRequest transaction, int limit, ToIntFunction<FederationRequest> size) {
        Objects.requireNonNull(size, "size");
        if (size.applyAsInt(transaction) <= limit) {
            return List.of(transaction);
        }
        List<Item> items = new ArrayList<>();
        JsonNode body = transaction.body();
        for (JsonNode edu : body.path("edus")) {
            if (TO_DEVICE.equals(edu.path("edu_type").asText())) {
                items.add(new Item(false, edu));
            }
        }
        for (JsonNode pdu : body.path("pdus")) {
            items.add(new Item(true, pdu));
        }
        for (JsonNode edu : body.path("edus")) {
            if (!TO_DEVICE.equals(edu.path("edu_type").asText())) {
                items.add(new Item(false, edu));
            }
        }
        List<FederationRequest> parts = new ArrayList<>();
        cut(transaction, items, 0, items.size(), limit, size, parts);
        return parts;
    }

    /** Appends the parts of items [from, to) to {@code parts}, halving until each part fits. */
    private static void cut(FederationRequest whole, List<Item> items, int from, int to, int limit,
            ToIntFunction<FederationRequest> size, List<FederationRequest> parts) {
        FederationRequest part = part(whole, items, from, to);
        if (size.applyAsInt(part) <= limit) {
            parts.add(part);
            return;
        }
        if (to - from == 1) {
            Item item = items.get(from);
            throw new IllegalArgumentException("a " + (item.pdu() ? "PDU" : "EDU") + " of "
                    + item.json().toString().length() + " bytes does not fit the largest envelope");
        }
        int middle = from + (to - from) / 2;
        cut(whole, items, from, middle, limit, size, parts);
        cut(whole, items, middle, to, limit, size, parts);
    }

    private static FederationRequest part(FederationRequest whole, List<Item> items, int from, int to) {
        ObjectNode body = ((ObjectNode) whole.body()).deepCopy();
        ArrayNode pdus = body.putArray("pdus");
        ArrayNode edus = body.putArray("edus");
        for (Item item : items.subList(from, to)) {
            (item.pdu() ? pdus : edus).add(item.json());
        }
        String uri = whole.uri() + "." + from + "-" + (to - 1);
        return FederationRequest.put(whole.destination(), uri, body);
    }

    private record Item(boolean pdu, JsonNode json) {
    }
}
