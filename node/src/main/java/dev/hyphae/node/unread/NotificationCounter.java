package dev.hyphae.node.unread;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.client.ClientEventFormat;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.push.PushEvaluation;
import dev.hyphae.node.push.PushEvaluator;
import dev.hyphae.node.push.PushRuleSet;
import dev.hyphae.node.push.PushRulesService;
import dev.hyphae.node.receipts.ReceiptService;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.roomserver.StoredEventListener;
import dev.hyphae.store.Membership;
import dev.hyphae.store.NotificationCounts;
import dev.hyphae.store.NotificationCounts.Count;
import dev.hyphae.store.ReadTransaction;
import dev.hyphae.store.StateTuple;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoredEvent;
import dev.hyphae.store.StoredPushRule;
import dev.hyphae.store.StoredReceipt;
import dev.hyphae.store.WriteTransaction;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps local users' unread notification counts ("Receiving notifications") as data, as a server
 * that evaluates push rules when an event arrives does: each accepted event is judged once, inside
 * the unit that stores it, against the push rules of every local member of the room for whom the
 * room is counted, and adds to their count of its thread. An event counts when the user did not
 * send it and it is after the user's read-up-to mark (the later of {@code m.read} and
 * {@code m.read.private}; a threaded receipt marks only its thread, {@code main} the main timeline,
 * an unthreaded one the whole room) and after the user joined.
 *
 * <p>A receipt or a change of the user's push rules forgets the counts in the store (see
 * {@link NotificationCounts}); the next read counts the room again from the marks, forwards, with
 * no cap on the number of events, and stores the result unless an event or receipt came meanwhile.
 */
public final class NotificationCounter implements StoredEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationCounter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Events read at once while counting a room again. */
    private static final int PAGE = 500;
    /** Events the counting reads often (create, power levels, members), parsed, by event ID. */
    private static final int CACHED_EVENTS = 512;
    /** Users whose push rules are kept built. */
    private static final int CACHED_RULES = 1024;
    /** How far back a re-count looks for the join that began the user's run of joins and profile changes. */
    private static final int MAX_JOIN_RUN = 50;

    private final Store store;
    private final RoomQueries queries;
    private final PushEvaluator evaluator = new PushEvaluator();
    private final Map<String, JsonNode> events = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest) {
            return size() > CACHED_EVENTS;
        }
    };

    /** Each user's rules, with the stored rules they were built from (the defaults are the same for all). */
    private final Map<String, CachedRules> rulesByUser = new java.util.concurrent.ConcurrentHashMap<>();

    private record CachedRules(List<StoredPushRule> stored, PushRuleSet rules) {
    }

    public NotificationCounter(Store store, RoomQueries queries) {
        this.store = Objects.requireNonNull(store, "store");
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    /**
     * The user's counts in each of {@code roomIds}: room ID to thread ID ({@code main} for the main
     * timeline, always present) to count. One read for the rooms already counted; the others are
     * counted now and stored in one write.
     */
    public Map<String, Map<String, Count>> counts(String userId, Collection<String> roomIds) {
        if (roomIds.isEmpty()) {
            return Map.of();
        }
        Map<String, Map<String, Count>> stored = store.read(tx -> tx.notificationCounts().ofUser(userId));
        Map<String, Map<String, Count>> counts = new LinkedHashMap<>();
        Map<String, Recount> recounts = new LinkedHashMap<>();
        for (String roomId : roomIds) {
            Map<String, Count> room = stored.get(roomId);
            if (room == null) {
                Recount recount = recount(userId, roomId);
                recounts.put(roomId, recount);
                room = recount.threads();
            }
            counts.put(roomId, withMain(room));
        }
        if (!recounts.isEmpty()) {
            store.write(tx -> {
                recounts.forEach((roomId, recount) -> {
                    // Kept only when nothing it depends on changed since it was read.
                    boolean current = !tx.notificationCounts().countedUsers(roomId).contains(userId)
                            && tx.memberships().get(roomId, userId).map(m -> m.membership().equals("join")).orElse(false)
                            && marks(tx, roomId, userId).equals(recount.marks())
                            && tx.events().roomEventsAfter(roomId, recount.upTo(), 1).isEmpty();
                    if (current) {
                        tx.notificationCounts().replace(userId, roomId, recount.threads());
                    }
                });
                return null;
            }).join();
        }
        return counts;
    }

    private static Map<String, Count> withMain(Map<String, Count> threads) {
        if (threads.containsKey(NotificationCounts.MAIN)) {
            return threads;
        }
        Map<String, Count> all = new HashMap<>(threads);
        all.put(NotificationCounts.MAIN, Count.ZERO);
        return all;
    }

    @Override
    public void onStored(WriteTransaction tx, RoomEvent event) {
        if (event.outlier() || event.rejectionReason() != null) {
            return;
        }
        String roomId = event.pdu().roomId();
        try {
            count(tx, roomId, event);
        } catch (RuntimeException e) {
            // A count that cannot be kept must not cost the event: the room is counted again when next read.
            LOG.warn("could not count {} in {}; its counts will be counted again", event.eventId(), roomId, e);
            for (String userId : tx.notificationCounts().countedUsers(roomId)) {
                tx.notificationCounts().forget(userId, roomId);
            }
        }
    }

    private void count(WriteTransaction tx, String roomId, RoomEvent event) {
        if (event.pdu().type().equals("m.room.member") && event.pdu().stateKey().isPresent()) {
            memberEvent(tx, roomId, event);
        }
        List<String> users = tx.notificationCounts().countedUsers(roomId);
        if (users.isEmpty()) {
            return;
        }
        Map<String, Membership> members = new HashMap<>();
        long joined = 0;
        for (Membership member : tx.memberships().inRoom(roomId)) {
            members.put(member.userId(), member);
            joined += member.membership().equals("join") ? 1 : 0;
        }
        RoomFacts facts = null;
        String thread = ReceiptService.threadOf(event);
        for (String userId : users) {
            Membership member = members.get(userId);
            if (userId.equals(event.pdu().sender()) || member == null || !member.membership().equals("join")) {
                continue;
            }
            if (facts == null) {
                facts = factsAfter(tx, event, joined);
            }
            Optional<String> displayName = RoomFacts.displayName(content(tx, member.eventId()));
            PushEvaluation outcome = judge(rules(tx, userId), userId, event, facts, displayName);
            if (outcome.notifies() || outcome.highlight()) {
                tx.notificationCounts().add(userId, roomId, thread, count(outcome));
            }
        }
    }

    /**
     * A local user's join (from another membership, not a profile change) starts their counts of the
     * room at zero; leaving ends them.
     */
    private void memberEvent(WriteTransaction tx, String roomId, RoomEvent event) {
        String userId = event.pdu().stateKey().get();
        if (!tx.accounts().exists(userId)) {
            return;
        }
        boolean joins = event.pdu().contentField("membership").asText("").equals("join");
        boolean counted = tx.notificationCounts().countedUsers(roomId).contains(userId);
        if (joins && !counted && !joinedBefore(tx, event, userId)) {
            tx.notificationCounts().replace(userId, roomId, Map.of());
        } else if (!joins && counted) {
            tx.notificationCounts().forget(userId, roomId);
        }
    }

    /** Whether the user was already joined in the state before {@code event}. */
    private boolean joinedBefore(ReadTransaction tx, RoomEvent event, String userId) {
        return tx.stateSnapshots().eventState(event.eventId())
                .flatMap(groups -> tx.stateSnapshots().stateEventId(groups.stateBeforeGroup(),
                        new StateTuple("m.room.member", userId)))
                .map(id -> content(tx, id))
                .map(content -> content.path("membership").asText("").equals("join"))
                .orElse(false);
    }

    /**
     * The user's push rules: built again only when the user's stored rules changed, as building
     * them (the defaults included) for every event and member would cost more than judging it.
     */
    private PushRuleSet rules(ReadTransaction tx, String userId) {
        List<StoredPushRule> stored = tx.pushRules().forUser(userId);
        CachedRules cached = rulesByUser.get(userId);
        if (cached != null && cached.stored().equals(stored)) {
            return cached.rules();
        }
        PushRuleSet rules = PushRulesService.rulesFor(tx, userId);
        if (rulesByUser.size() >= CACHED_RULES) {
            rulesByUser.clear();
        }
        rulesByUser.put(userId, new CachedRules(stored, rules));
        return rules;
    }

    private PushEvaluation judge(PushRuleSet rules, String userId, RoomEvent event, RoomFacts facts,
            Optional<String> displayName) {
        return evaluator.evaluate(rules, userId, ClientEventFormat.clientEvent(event),
                facts.context(event.pdu().sender(), displayName));
    }

    private static Count count(PushEvaluation outcome) {
        return new Count(outcome.notifies() ? 1 : 0, outcome.highlight() ? 1 : 0);
    }

    /** The room's facts in the state after {@code event}, read in the unit storing it. */
    private RoomFacts factsAfter(ReadTransaction tx, RoomEvent event, long joined) {
        Optional<Long> group = tx.stateSnapshots().eventState(event.eventId()).map(groups -> groups.stateAfterGroup());
        JsonNode create = group.flatMap(g -> tx.stateSnapshots().stateEventId(g,
                new StateTuple("m.room.create", ""))).map(id -> event(tx, id)).orElse(null);
        JsonNode powerLevels = group.flatMap(g -> tx.stateSnapshots().stateEventId(g,
                new StateTuple("m.room.power_levels", ""))).map(id -> content(tx, id)).orElse(null);
        return RoomFacts.of(joined, create == null ? null : create.path("content"),
                create == null ? null : create.path("sender").asText(), powerLevels);
    }

    private JsonNode content(ReadTransaction tx, String eventId) {
        JsonNode event = event(tx, eventId);
        return event == null ? null : event.path("content");
    }

    /** A stored event, parsed, kept for the next events (create, power levels and members change rarely). */
    private JsonNode event(ReadTransaction tx, String eventId) {
        synchronized (events) {
            JsonNode known = events.get(eventId);
            if (known != null) {
                return known;
            }
        }
        JsonNode event = tx.events().get(eventId).map(e -> parse(e.json())).orElse(null);
        if (event != null) {
            synchronized (events) {
                events.put(eventId, event);
            }
        }
        return event;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored event is not JSON", e);
        }
    }

    /**
     * Where counting starts for the user in the room: the later of the unthreaded read mark and the
     * join that began the user's current run of joins (a profile change after it is no new start: a
     * room counted again leaves out what came before the join, rather than the room's whole history
     * for a user who never sent a receipt), and the mark of each thread with a threaded receipt;
     * stream orderings.
     */
    record Marks(long room, Map<String, Long> threads) {
        boolean counts(RoomEvent event, String thread) {
            return event.streamOrdering() > room && event.streamOrdering() > threads.getOrDefault(thread, 0L);
        }
    }

    /**
     * The first member event of the run of joins that ends with {@code memberEventId}: stepping back
     * through the user's member event in the state before each, while that one is a join too.
     */
    private static String joinRunStart(ReadTransaction tx, String userId, String memberEventId) {
        StateTuple member = new StateTuple("m.room.member", userId);
        String first = memberEventId;
        for (int step = 0; step < MAX_JOIN_RUN; step++) {
            Optional<String> before = tx.stateSnapshots().eventState(first)
                    .flatMap(groups -> tx.stateSnapshots().stateEventId(groups.stateBeforeGroup(), member))
                    .filter(id -> tx.events().get(id)
                            .map(event -> parse(event.json()).path("content").path("membership").asText(""))
                            .orElse("").equals("join"));
            if (before.isEmpty()) {
                break;
            }
            first = before.get();
        }
        return first;
    }

    private static Marks marks(ReadTransaction tx, String roomId, String userId) {
        long room = tx.memberships().get(roomId, userId).map(m -> joinRunStart(tx, userId, m.eventId()))
                .flatMap(id -> tx.events().get(id)).map(StoredEvent::streamOrdering).orElse(0L);
        Map<String, Long> threads = new HashMap<>();
        for (StoredReceipt receipt : tx.receipts().ofUser(roomId, userId)) {
            if (!receipt.receiptType().equals(ReceiptService.READ)
                    && !receipt.receiptType().equals(ReceiptService.READ_PRIVATE)) {
                continue;
            }
            long at = tx.events().get(receipt.eventId()).map(StoredEvent::streamOrdering).orElse(0L);
            if (receipt.threadId() == null) {
                room = Math.max(room, at);
            } else {
                threads.merge(receipt.threadId(), at, Math::max);
            }
        }
        return new Marks(room, Map.copyOf(threads));
    }

    /** The room counted again for the user up to stream position {@code upTo}, from {@code marks}. */
    private record Recount(Marks marks, long upTo, Map<String, Count> threads) {
    }

    private Recount recount(String userId, String roomId) {
        Marks marks = store.read(tx -> marks(tx, roomId, userId));
        // Read before the events, which stop there: an event stored meanwhile is counted next time.
        long upTo = queries.currentToken().position();
        PushRuleSet rules = store.read(tx -> rules(tx, userId));
        Map<String, Count> threads = new HashMap<>();
        RoomFacts facts = null;
        Optional<String> displayName = Optional.empty();
        long after = marks.room();
        while (after < upTo) {
            List<RoomEvent> events = queries.eventsBetween(roomId, after, upTo, PAGE);
            for (RoomEvent event : events) {
                if (event.outlier() || event.rejectionReason() != null || event.pdu().sender().equals(userId)) {
                    continue;
                }
                String thread = ReceiptService.threadOf(event);
                if (!marks.counts(event, thread)) {
                    continue;
                }
                if (facts == null) {
                    // The room as it is now, read once for all the events counted again.
                    Map<StateKey, RoomEvent> state = queries.currentState(roomId);
                    long joined = queries.members(roomId).stream().filter(m -> m.membership().equals("join")).count();
                    RoomEvent create = state.get(new StateKey("m.room.create", ""));
                    RoomEvent powerLevels = state.get(new StateKey("m.room.power_levels", ""));
                    facts = RoomFacts.of(joined, create == null ? null : create.pdu().content(),
                            create == null ? null : create.pdu().sender(),
                            powerLevels == null ? null : powerLevels.pdu().content());
                    RoomEvent member = state.get(new StateKey("m.room.member", userId));
                    displayName = RoomFacts.displayName(member == null ? null : member.pdu().content());
                }
                PushEvaluation outcome = judge(rules, userId, event, facts, displayName);
                if (outcome.notifies() || outcome.highlight()) {
                    threads.merge(thread, count(outcome), Count::plus);
                }
            }
            if (events.size() < PAGE) {
                break;
            }
            after = events.get(events.size() - 1).streamOrdering();
        }
        return new Recount(marks, upTo, threads);
    }
}
