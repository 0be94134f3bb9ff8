package dev.hyphae.node.federation.outbound;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.store.QueuedItem;
import java.util.List;
import java.util.Objects;

/**
 * One transaction to one destination: durable items from the queue (a prefix of it, in queue
 * order) and best-effort EDUs. It keeps its transaction ID and body across retries, so the
 * receiver can recognise a retransmission.
 *
 * @param durable    the queued items, each parsed to its JSON object, in queue order
 * @param ephemeral  best-effort EDUs ({@code edu_type} and {@code content})
 * @param startedTs  when the transaction was first built ({@code origin_server_ts})
 */
record OutboundTransaction(String destination, String txnId, List<ParsedItem> durable, List<ObjectNode> ephemeral,
        long startedTs) {
    /** A queued item with its parsed JSON. */
    record ParsedItem(QueuedItem item, ObjectNode json) {
    }

    OutboundTransaction {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(txnId, "txnId");
        durable = List.copyOf(durable);
        ephemeral = List.copyOf(ephemeral);
        if (durable.isEmpty() && ephemeral.isEmpty()) {
            throw new IllegalArgumentException("a transaction carries at least one PDU or EDU");
        }
    }

    /**
     * The transaction ID: from the queue positions of the durable items (a batch is a prefix of the
     * queue, so the first and last position and the count name its items, the first item's queue
     * time guards against a store started afresh), so it is the same when the same batch is built
     * again after a restart; a batch with best-effort EDUs adds this process's nonce and a counter.
     */
    static String txnId(List<ParsedItem> durable, String ephemeralPart) {
        StringBuilder id = new StringBuilder();
        if (!durable.isEmpty()) {
            QueuedItem first = durable.get(0).item();
            id.append('q').append(first.id()).append('.').append(durable.get(durable.size() - 1).item().id())
                    .append('.').append(durable.size()).append('.').append(Long.toString(first.queuedTs(), 36));
        }
        if (ephemeralPart != null) {
            id.append(id.length() == 0 ? "" : ".").append('e').append(ephemeralPart);
        }
        return id.toString();
    }

    List<Long> itemIds() {
        return durable.stream().map(p -> p.item().id()).toList();
    }

    long pduCount() {
        return durable.stream().filter(p -> p.item().kind() == QueuedItem.Kind.PDU).count();
    }

    long eduCount() {
        return durable.size() - pduCount() + ephemeral.size();
    }

    /** The oldest queue time of a durable item, or the start time when there is none. */
    long oldestQueuedTs() {
        return durable.stream().mapToLong(p -> p.item().queuedTs()).min().orElse(startedTs);
    }

    /** The body of {@code PUT /_matrix/federation/v1/send/{txnId}}. */
    ObjectNode body(String origin) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("origin", origin);
        body.put("origin_server_ts", startedTs);
        ArrayNode pdus = body.putArray("pdus");
        ArrayNode edus = JsonNodeFactory.instance.arrayNode();
        for (ParsedItem item : durable) {
            (item.item().kind() == QueuedItem.Kind.PDU ? pdus : edus).add(item.json());
        }
        ephemeral.forEach(edus::add);
        if (!edus.isEmpty()) {
            body.set("edus", edus);
        }
        return body;
    }
}
