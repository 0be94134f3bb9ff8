package dev.hyphae.node.relations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.event.Pdu;
import java.util.Objects;
import java.util.Optional;

/**
 * An event's {@code content.m.relates_to}: the relationship type and the parent event. Only the
 * cleartext copy counts (the server cannot read an encrypted payload). Replies have no
 * {@code rel_type} and are not relations here.
 */
public record RelatesTo(String relType, String eventId) {
    public static final String THREAD = "m.thread";
    public static final String REPLACE = "m.replace";
    public static final String REFERENCE = "m.reference";
    public static final String ANNOTATION = "m.annotation";

    public RelatesTo {
        Objects.requireNonNull(relType, "relType");
        Objects.requireNonNull(eventId, "eventId");
    }

    /**
     * The relationship of {@code pdu}, or empty when it has none or one that breaks the schema or
     * the rules of its type (such relationships "are simply ignored"): a missing or non-string
     * {@code rel_type} or {@code event_id}, a parent that is the event itself, a replacement that is
     * a state event or (unencrypted) has no {@code m.new_content}.
     */
    public static Optional<RelatesTo> of(Pdu pdu) {
        JsonNode relatesTo = pdu.contentField("m.relates_to");
        if (!relatesTo.isObject()) {
            return Optional.empty();
        }
        JsonNode relType = relatesTo.get("rel_type");
        JsonNode eventId = relatesTo.get("event_id");
        if (relType == null || !relType.isTextual() || relType.textValue().isEmpty()
                || eventId == null || !eventId.isTextual() || !eventId.textValue().startsWith("$")
                || eventId.textValue().equals(pdu.eventId())) {
            return Optional.empty();
        }
        if (REPLACE.equals(relType.textValue()) && (pdu.isState()
                || (!"m.room.encrypted".equals(pdu.type()) && !pdu.contentField("m.new_content").isObject()))) {
            return Optional.empty();
        }
        return Optional.of(new RelatesTo(relType.textValue(), eventId.textValue()));
    }
}
