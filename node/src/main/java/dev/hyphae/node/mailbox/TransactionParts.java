package dev.hyphae.node.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.json.CanonicalJson;
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
     * The parts of a transaction, and why each item that fits no part alone was left out.
     *
     * @param parts   the transactions to deposit in order; none when every item was left out
     * @param leftOut one reason for each PDU or EDU larger than the limit on its own
     */
    record Cut(List<FederationRequest> parts, List<String> leftOut) {
        Cut {
            parts = List.copyOf(parts);
            leftOut = List.copyOf(leftOut);
        }
    }

    /**
     * The parts of {@code transaction}: itself when {@code size} of it is at most {@code limit}.
     * A single PDU or EDU larger than {@code limit} on its own is left out with its reason, so that
     * it never holds back the items around it.
     *
     * @param size  the bytes a request takes once sealed for a mailbox (its payload)
     */
    static Cut cut(FederationRequest transaction, int limit, ToIntFunction<FederationRequest> size) {
        Objects.requireNonNull(size, "size");
        if (size.applyAsInt(transaction) <= limit) {
            return new Cut(List.of(transaction), List.of());
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
        List<String> leftOut = new ArrayList<>();
        cut(transaction, items, 0, items.size(), limit, size, parts, leftOut);
        return new Cut(parts, leftOut);
    }

    /** Appends the parts of items [from, to) to {@code parts}, halving until each part fits. */
    private static void cut(FederationRequest whole, List<Item> items, int from, int to, int limit,
            ToIntFunction<FederationRequest> size, List<FederationRequest> parts, List<String> leftOut) {
        FederationRequest part = part(whole, items, from, to);
        if (size.applyAsInt(part) <= limit) {
            parts.add(part);
            return;
        }
        if (to - from == 1) {
            Item item = items.get(from);
            leftOut.add("a " + (item.pdu() ? "PDU" : item.json().path("edu_type").asText("EDU") + " EDU") + " of "
                    + CanonicalJson.encode(item.json()).length + " bytes does not fit the largest envelope ("
                    + limit + " bytes of payload)");
            return;
        }
        int middle = from + (to - from) / 2;
        cut(whole, items, from, middle, limit, size, parts, leftOut);
        cut(whole, items, middle, to, limit, size, parts, leftOut);
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
