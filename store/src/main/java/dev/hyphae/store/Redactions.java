package dev.hyphae.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Redactions received for the room events they name: pending until the server decides to apply
 * them (the redacted event is stored and the redaction passes the server's checks), then applied.
 */
public interface Redactions {
    /** The pending (not applied) redactions naming the event, as redaction event IDs in receipt order. */
    List<String> pendingFor(String redactedEventId);

    /**
     * For each event among {@code eventIds} that a redaction was applied to, the ID of the first
     * applied redaction.
     */
    Map<String, String> appliedTo(Collection<String> eventIds);

    /** The redaction events among {@code redactionEventIds} that were applied. */
    List<String> applied(Collection<String> redactionEventIds);

    interface Writer extends Redactions {
        /** Records a redaction as pending; a second record of the same pair changes nothing. */
        void addPending(String redactionEventId, String redactedEventId, String roomId);

        /** Marks the redaction applied; returns false when it was not recorded. */
        boolean markApplied(String redactionEventId, String redactedEventId);
    }
}
