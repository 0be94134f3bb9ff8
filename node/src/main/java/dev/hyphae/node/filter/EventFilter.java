package dev.hyphae.node.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The spec's EventFilter: limit, types/not_types (with {@code *} wildcards), senders/not_senders.
 * An absent list excludes nothing or includes everything; a not_ list wins over its include list.
 */
public record EventFilter(OptionalInt limit, Optional<List<String>> types, Optional<List<String>> notTypes,
                          Optional<List<String>> senders, Optional<List<String>> notSenders) {
    /** The filter that lets everything through. */
    public static final EventFilter ALL = new EventFilter(OptionalInt.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    public EventFilter {
        types = types.map(List::copyOf);
        notTypes = notTypes.map(List::copyOf);
        senders = senders.map(List::copyOf);
        notSenders = notSenders.map(List::copyOf);
    }

    /** Reads an EventFilter; {@code where} prefixes error messages, e.g. {@code "room.timeline."}. */
    static EventFilter parse(ObjectNode json, String where) {
        return new EventFilter(FilterJson.positiveInt(json, "limit", where),
                FilterJson.strings(json, "types", where, null),
                FilterJson.strings(json, "not_types", where, null),
                FilterJson.strings(json, "senders", where, "@"),
                FilterJson.strings(json, "not_senders", where, "@"));
    }

    /**
     * Whether the event passes: its {@code type} and, when it has one, its {@code sender}. Events
     * without a sender (account data) are not judged by the sender lists.
     */
    public boolean matches(ObjectNode event) {
        String type = event.path("type").asText("");
        JsonNode sender = event.get("sender");
        if (sender != null && sender.isTextual() && !matchesSender(sender.asText())) {
            return false;
        }
        return matchesType(type);
    }

    public boolean matchesType(String type) {
        if (notTypes.isPresent() && notTypes.get().stream().anyMatch(p -> wildcardMatches(p, type))) {
            return false;
        }
        return types.isEmpty() || types.get().stream().anyMatch(p -> wildcardMatches(p, type));
    }

    public boolean matchesSender(String sender) {
        if (notSenders.isPresent() && notSenders.get().contains(sender)) {
            return false;
        }
        return senders.isEmpty() || senders.get().contains(sender);
    }

    /** The events that pass, in their order, at most {@link #limit()} of them counting from the end. */
    public List<ObjectNode> filterKeepingLatest(List<ObjectNode> events) {
        List<ObjectNode> kept = new ArrayList<>();
        for (ObjectNode event : events) {
            if (matches(event)) {
                kept.add(event);
            }
        }
        return limitKeepingLatest(kept, limit);
    }

    /** The limit, or {@code defaultLimit} when absent, capped at {@code maximum}. */
    public int effectiveLimit(int defaultLimit, int maximum) {
        return Math.min(limit.orElse(defaultLimit), maximum);
    }

    static List<ObjectNode> limitKeepingLatest(List<ObjectNode> events, OptionalInt limit) {
        if (limit.isEmpty() || events.size() <= limit.getAsInt()) {
            return events;
        }
        return new ArrayList<>(events.subList(events.size() - limit.getAsInt(), events.size()));
    }

    /** {@code *} matches any sequence of characters; everything else matches itself, case-sensitively. */
    static boolean wildcardMatches(String pattern, String value) {
        int p = 0;
        int v = 0;
        int starAt = -1;
        int resumeAt = 0;
        while (v < value.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                starAt = p++;
                resumeAt = v;
            } else if (p < pattern.length() && pattern.charAt(p) == value.charAt(v)) {
                p++;
                v++;
            } else if (starAt >= 0) {
                p = starAt + 1;
                v = ++resumeAt;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
