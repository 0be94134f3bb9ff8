package dev.hyphae.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The full-text index of searchable room events (message bodies, room names and topics), with
 * the position in the event stream up to which events have been looked at for indexing.
 *
 * <p>Searches only return entries whose event is still part of a room's timeline (neither an
 * outlier nor rejected).
 */
public interface EventSearch {
    /** The stream ordering up to which every timeline event has been considered; 0 at first. */
    long indexedUpTo();

    /**
     * The matching entries in the order asked for, at most {@code limit} of them, skipping the
     * first {@code offset} (used for {@link Order#RANK}).
     */
    List<SearchHit> search(SearchQuery query, int offset, int limit);

    /** How many entries match the query. */
    long count(SearchQuery query);

    /** Whether the event has an entry in the index. */
    boolean contains(String eventId);

    enum Order {
        /** Best match first (ties: newest first). */
        RANK,
        /** Newest first, by stream ordering. */
        RECENT
    }

    /**
     * An event to index.
     *
     * @param text the searchable text of the event (body, name or topic)
     */
    record Entry(String eventId, String roomId, String sender, String type, long streamOrdering, String text) {
        public Entry {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * What to look for.
     *
     * @param terms     words that must all occur in an entry's text (matched as whole tokens,
     *                  case- and diacritic-insensitively); must not be empty
     * @param rooms     the rooms to search, each with the greatest stream ordering that may match
     * @param types     the event types to search
     * @param senders   the senders to keep, or empty for all
     * @param before    for {@link Order#RECENT}: only entries with a smaller stream ordering
     */
    record SearchQuery(List<String> terms, Map<String, Long> rooms, Set<String> types, Optional<Set<String>> senders,
                       Order order, Optional<Long> before) {
        public SearchQuery {
            terms = List.copyOf(terms);
            rooms = Map.copyOf(rooms);
            types = Set.copyOf(types);
            senders = senders.map(Set::copyOf);
            Objects.requireNonNull(order, "order");
            Objects.requireNonNull(before, "before");
            if (terms.isEmpty() || terms.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("a search needs at least one non-blank term");
            }
        }
    }

    /**
     * A matching entry.
     *
     * @param rank how well the entry matches; higher is better
     */
    record SearchHit(String eventId, String roomId, long streamOrdering, double rank) {
    }

    interface Writer extends EventSearch {
        /** Adds the entry, replacing an earlier entry of the same event. */
        void index(Entry entry);

        /** Drops the event's entry (for example when the event is redacted); {@code false} when it had none. */
        boolean remove(String eventId);

        /** Records that events up to {@code streamOrdering} have been considered. */
        void setIndexedUpTo(long streamOrdering);
    }
}
