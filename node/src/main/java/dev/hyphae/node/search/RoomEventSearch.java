package dev.hyphae.node.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.client.ClientEventFormat;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.roomserver.RoomServerException;
import dev.hyphae.node.roomserver.StreamToken;
import dev.hyphae.node.roomserver.TimelineDirection;
import dev.hyphae.node.visibility.HistoryVisibility;
import dev.hyphae.store.EventSearch;
import dev.hyphae.store.Membership;
import dev.hyphae.store.Store;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code room_events} search of one user: the index narrowed to the rooms the user is or was
 * in (up to the point they left), then each candidate checked against the filter, the user's
 * history visibility and its current content (a redacted event no longer matches), page by page
 * until the limit is reached.
 *
 * <p>{@code count} is exact: every candidate the index holds for the query (all pages, not only
 * the rest after {@code next_batch}) goes through the same checks as a result. The index alone
 * cannot count exactly, because history visibility and redaction are judged per event. To bound
 * the work of one request, at most {@link #MAX_COUNTED} candidates are checked; beyond them the
 * unchecked candidates are added as the index counts them, so a count above that is an upper
 * bound (the spec's "approximate count").
 */
public final class RoomEventSearch {
    /** Results per page when the filter sets no limit. */
    static final int DEFAULT_LIMIT = 10;
    /** The most results per page, whatever the filter asks. */
    static final int MAX_LIMIT = 100;
    /** Candidates read from the index at a time. */
    static final int PAGE = 50;
    /** The most candidates one request looks at before it hands back a next_batch. */
    static final int MAX_SCANNED = 2_000;
    /** The most candidates checked one by one for {@code count}. */
    static final int MAX_COUNTED = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(RoomEventSearch.class);
    private static final Pattern WORDS = Pattern.compile("[^\\p{L}\\p{N}\\p{Co}\\p{M}]+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private final Store store;
    private final RoomQueries queries;
    private final EventIndexer indexer;
    private final HistoryVisibility visibility;

    public RoomEventSearch(Store store, RoomQueries queries, EventIndexer indexer) {
        this.store = Objects.requireNonNull(store, "store");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.indexer = Objects.requireNonNull(indexer, "indexer");
        this.visibility = new HistoryVisibility(queries);
    }

    /**
     * The {@code room_events} result object.
     *
     * @throws MatrixException M_INVALID_PARAM when the token was made for the other ordering
     */
    public ObjectNode search(String userId, SearchRequest request, Optional<SearchBatchToken> token) {
        Objects.requireNonNull(userId, "userId");
        if (token.isPresent() && token.get().order() != request.order()) {
            throw MatrixException.invalidParam("next_batch was made for a search in another order");
        }
        awaitIndex();
        Map<String, Membership> memberships = new HashMap<>();
        for (Membership membership : queries.memberships(userId)) {
            memberships.put(membership.roomId(), membership);
        }
        Optional<EventSearch.SearchQuery> query = query(request, token, memberships);
        int limit = request.filter().events().effectiveLimit(DEFAULT_LIMIT, MAX_LIMIT);

        List<Result> results = new ArrayList<>();
        long position = token.map(SearchBatchToken::position).orElse(0L);
        boolean more = false;
        long count = 0;
        Map<String, Optional<Result>> checked = new HashMap<>();
        if (query.isPresent()) {
            count = count(userId, request, query.get(), memberships, checked);
            int scanned = 0;
            scan:
            while (true) {
                EventSearch.SearchQuery page = request.order() == EventSearch.Order.RECENT && position > 0
                        ? withBefore(query.get(), position) : query.get();
                int offset = request.order() == EventSearch.Order.RANK ? (int) Math.min(position, Integer.MAX_VALUE) : 0;
                List<EventSearch.SearchHit> hits = store.read(tx -> tx.eventSearch().search(page, offset, PAGE));
                for (int i = 0; i < hits.size(); i++) {
                    EventSearch.SearchHit hit = hits.get(i);
                    position = request.order() == EventSearch.Order.RANK ? position + 1 : hit.streamOrdering();
                    scanned++;
                    checked.computeIfAbsent(hit.eventId(), id -> accept(userId, request, hit, memberships))
                            .ifPresent(results::add);
                    boolean lastOfIndex = hits.size() < PAGE && i == hits.size() - 1;
                    if ((results.size() == limit || scanned >= MAX_SCANNED) && !lastOfIndex) {
                        more = true;
                        break scan;
                    }
                }
                if (hits.size() < PAGE) {
                    break;
                }
            }
        }
        return response(userId, request, results, count, more ? Optional.of(position) : Optional.empty(), memberships);
    }

    /**
     * The results the query has for the user over all its pages: each candidate of the index
     * checked as a result is (and remembered in {@code checked} for the page that follows), up to
     * {@link #MAX_COUNTED} of them, plus the index's count of the candidates beyond.
     */
    private long count(String userId, SearchRequest request, EventSearch.SearchQuery query,
            Map<String, Membership> memberships, Map<String, Optional<Result>> checked) {
        long candidates = store.read(tx -> tx.eventSearch().count(query));
        long counted = 0;
        int offset = 0;
        while (offset < Math.min(candidates, MAX_COUNTED)) {
            int from = offset;
            List<EventSearch.SearchHit> hits = store.read(tx -> tx.eventSearch().search(query, from, PAGE));
            for (EventSearch.SearchHit hit : hits) {
                if (checked.computeIfAbsent(hit.eventId(), id -> accept(userId, request, hit, memberships))
                        .isPresent()) {
                    counted++;
                }
            }
            offset += hits.size();
            if (hits.size() < PAGE) {
                break;
            }
        }
        return counted + Math.max(0, candidates - offset);
    }

    private void awaitIndex() {
        try {
            indexer.catchUp().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MatrixException(500, MatrixException.M_UNKNOWN, "interrupted while indexing");
        } catch (ExecutionException | TimeoutException e) {
            // The index is still searched: the newest events may be missing from the results.
            LOG.warn("search index is behind the event stream", e);
        }
    }

    /** The index query the request and the user's rooms allow; empty when nothing can match. */
    private Optional<EventSearch.SearchQuery> query(SearchRequest request, Optional<SearchBatchToken> token,
            Map<String, Membership> memberships) {
        Set<String> types = request.types();
        if (request.terms().isEmpty() || types.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> onlyRoom = token.filter(t -> t.groupKey().equals(Optional.of("room_id")))
                .flatMap(SearchBatchToken::groupValue);
        Optional<String> onlySender = token.filter(t -> t.groupKey().equals(Optional.of("sender")))
                .flatMap(SearchBatchToken::groupValue);
        Map<String, Long> rooms = new HashMap<>();
        for (Membership membership : memberships.values()) {
            String roomId = membership.roomId();
            boolean beenIn = Set.of("join", "leave", "ban").contains(membership.membership());
            if (!beenIn || !request.filter().matchesRoom(roomId)
                    || onlyRoom.filter(room -> !room.equals(roomId)).isPresent() || encryptedOrUnreadable(roomId)) {
                continue;
            }
            switch (membership.membership()) {
                case "join" -> rooms.put(roomId, Long.MAX_VALUE);
                case "leave", "ban" -> queries.event(membership.eventId())
                        .ifPresent(left -> rooms.put(roomId, left.streamOrdering()));
                default -> {
                    // Only memberships that have been in the room get this far.
                }
            }
        }
        Optional<Set<String>> senders = request.filter().events().senders().map(HashSet::new);
        if (onlySender.isPresent()) {
            Set<String> only = new HashSet<>(Set.of(onlySender.get()));
            senders.ifPresent(only::retainAll);
            senders = Optional.of(only);
        }
        return Optional.of(new EventSearch.SearchQuery(request.terms(), rooms, types,
                senders.map(Set::copyOf), request.order(), Optional.empty()));
    }

    /** Whether the room is end-to-end encrypted, or has no state here to tell (only an invite, say). */
    private boolean encryptedOrUnreadable(String roomId) {
        try {
            return queries.stateEvent(roomId, "m.room.encryption", "").isPresent();
        } catch (RoomServerException | IllegalStateException e) {
            return true;
        }
    }

    private static EventSearch.SearchQuery withBefore(EventSearch.SearchQuery query, long before) {
        return new EventSearch.SearchQuery(query.terms(), query.rooms(), query.types(), query.senders(), query.order(),
                Optional.of(before));
    }

    /** A candidate that passed every check, with its text for the highlights. */
    private record Result(RoomEvent event, ObjectNode json, double rank, String text) {
    }

    private Optional<Result> accept(String userId, SearchRequest request, EventSearch.SearchHit hit,
            Map<String, Membership> memberships) {
        Optional<RoomEvent> event = queries.event(hit.eventId());
        if (event.isEmpty() || event.get().outlier() || event.get().rejectionReason() != null) {
            return Optional.empty();
        }
        RoomEvent found = event.get();
        Optional<String> text = SearchKey.textOf(found.pdu().type(), found.pdu().content());
        if (text.isEmpty()) {
            // Redacted since it was indexed.
            return Optional.empty();
        }
        ObjectNode json = ClientEventFormat.clientEvent(found);
        if (!request.filter().matches(json, hit.roomId())) {
            return Optional.empty();
        }
        if (!visibility.maySee(userId, found, Optional.ofNullable(memberships.get(hit.roomId())))) {
            return Optional.empty();
        }
        return Optional.of(new Result(found, json, hit.rank(), text.get()));
    }

    private ObjectNode response(String userId, SearchRequest request, List<Result> results, long count,
            Optional<Long> next, Map<String, Membership> memberships) {
        ObjectNode category = JsonNodeFactory.instance.objectNode();
        category.put("count", count);
        ArrayNode highlights = category.putArray("highlights");
        highlights(request.terms(), results).forEach(highlights::add);
        ArrayNode resultsJson = category.putArray("results");
        Optional<SearchBatchToken> nextToken = next.map(position -> SearchBatchToken.of(request.order(), position));
        for (Result result : results) {
            ObjectNode entry = resultsJson.addObject();
            entry.put("rank", result.rank());
            entry.set("result", result.json());
            request.eventContext().ifPresent(context -> entry.set("context",
                    context(userId, result.event(), context, memberships)));
        }
        if (!request.groupBy().isEmpty()) {
            ObjectNode groups = category.putObject("groups");
            for (String key : request.groupBy()) {
                ObjectNode byKey = groups.putObject(key);
                int order = 0;
                for (Result result : results) {
                    String value = key.equals("room_id") ? result.event().pdu().roomId() : result.event().pdu().sender();
                    ObjectNode group = (ObjectNode) byKey.get(value);
                    if (group == null) {
                        group = byKey.putObject(value);
                        group.put("order", ++order);
                        group.putArray("results");
                        ObjectNode created = group;
                        nextToken.ifPresent(token -> created.put("next_batch", token.inGroup(key, value).toString()));
                    }
                    ((ArrayNode) group.get("results")).add(result.event().eventId());
                }
            }
        }
        if (request.includeState()) {
            ObjectNode state = category.putObject("state");
            Set<String> rooms = new LinkedHashSet<>();
            results.forEach(result -> rooms.add(result.event().pdu().roomId()));
            for (String roomId : rooms) {
                ArrayNode events = state.putArray(roomId);
                new TreeMap<>(queries.currentState(roomId)).values()
                        .forEach(event -> events.add(ClientEventFormat.clientEvent(event)));
            }
        }
        nextToken.ifPresent(token -> category.put("next_batch", token.toString()));
        return category;
    }

    private ObjectNode context(String userId, RoomEvent event, SearchRequest.EventContext asked,
            Map<String, Membership> memberships) {
        String roomId = event.pdu().roomId();
        Optional<Membership> membership = Optional.ofNullable(memberships.get(roomId));
        ObjectNode context = JsonNodeFactory.instance.objectNode();
        List<RoomEvent> before = asked.beforeLimit() == 0 ? List.of()
                : visible(userId, queries.timeline(roomId, new StreamToken(
                        Math.max(0, event.streamOrdering() - 1)).toString(),
                        TimelineDirection.BACKWARDS, asked.beforeLimit()).events(), membership);
        List<RoomEvent> after = asked.afterLimit() == 0 ? List.of()
                : visible(userId, queries.timeline(roomId, new StreamToken(
                        event.streamOrdering()).toString(),
                        TimelineDirection.FORWARDS, asked.afterLimit()).events(), membership);
        long start = before.isEmpty() ? event.streamOrdering() - 1 : before.get(before.size() - 1).streamOrdering() - 1;
        long end = after.isEmpty() ? event.streamOrdering() : after.get(after.size() - 1).streamOrdering();
        context.put("start", new StreamToken(Math.max(0, start)).toString());
        context.put("end", new StreamToken(end).toString());
        ArrayNode beforeJson = context.putArray("events_before");
        before.forEach(e -> beforeJson.add(ClientEventFormat.clientEvent(e)));
        ArrayNode afterJson = context.putArray("events_after");
        after.forEach(e -> afterJson.add(ClientEventFormat.clientEvent(e)));
        if (asked.includeProfile()) {
            Set<String> senders = new LinkedHashSet<>();
            senders.add(event.pdu().sender());
            before.forEach(e -> senders.add(e.pdu().sender()));
            after.forEach(e -> senders.add(e.pdu().sender()));
            context.set("profile_info", profiles(event, senders));
        }
        return context;
    }

    private List<RoomEvent> visible(String userId, List<RoomEvent> events, Optional<Membership> membership) {
        List<RoomEvent> visible = new ArrayList<>();
        for (RoomEvent event : events) {
            if (visibility.maySee(userId, event, membership)) {
                visible.add(event);
            }
        }
        return visible;
    }

    /** The senders' display names and avatars as the room's state before the result had them. */
    private ObjectNode profiles(RoomEvent event, Set<String> senders) {
        ObjectNode profiles = JsonNodeFactory.instance.objectNode();
        Map<StateKey, String> state = queries.stateIdsBefore(event.eventId()).orElse(Map.of());
        for (String sender : senders) {
            String memberEventId = state.get(StateKey.of("m.room.member", sender));
            ObjectNode profile = profiles.putObject(sender);
            if (memberEventId == null) {
                continue;
            }
            queries.event(memberEventId).ifPresent(member -> {
                JsonNode content = member.pdu().content();
                if (content.path("displayname").isTextual()) {
                    profile.put("displayname", content.get("displayname").textValue());
                }
                if (content.path("avatar_url").isTextual()) {
                    profile.put("avatar_url", content.get("avatar_url").textValue());
                }
            });
        }
        return profiles;
    }

    /** The terms, and each word of the results that the index took for one of them, as written there. */
    static List<String> highlights(List<String> terms, List<Result> results) {
        Set<String> folded = new HashSet<>();
        terms.forEach(term -> folded.add(fold(term)));
        Set<String> highlights = new LinkedHashSet<>(terms);
        for (Result result : results) {
            for (String word : WORDS.split(result.text())) {
                if (!word.isEmpty() && folded.contains(fold(word))) {
                    highlights.add(word);
                }
            }
        }
        return new ArrayList<>(highlights);
    }

    /** Lower case without diacritics, as the index compares words. */
    static String fold(String word) {
        return MARKS.matcher(Normalizer.normalize(word.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)).replaceAll("");
    }
}
