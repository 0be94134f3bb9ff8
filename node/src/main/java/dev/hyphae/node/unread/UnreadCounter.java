package dev.hyphae.node.unread;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.client.ClientEventFormat;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.push.PushEvaluation;
import dev.hyphae.node.push.PushEvaluator;
import dev.hyphae.node.push.PushRuleSet;
import dev.hyphae.node.push.PushRulesService;
import dev.hyphae.node.push.RoomPushContext;
import dev.hyphae.node.receipts.ReceiptService;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.roomserver.StreamToken;
import dev.hyphae.node.roomserver.TimelineDirection;
import dev.hyphae.node.roomserver.TimelinePage;
import dev.hyphae.store.StoredReceipt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts a user's unread notifications in a room ("Receiving notifications"): the events after the
 * user's read-up-to mark for which the user's push rules say {@code notify} (and the highlight
 * tweak). The mark is the later of {@code m.read} and {@code m.read.private}; a threaded receipt
 * marks only its thread ({@code main} the main timeline), an unthreaded one the whole room. The
 * room facts the rules need (member count, display name, power levels) are those of the current
 * state. At most {@link #MAX_SCANNED} events are looked at.
 *
 * <p>Every /sync asks for the counts of the rooms it returns, so they are kept per user and room:
 * while the read marks and the user's push rules stay the same, a count looks only at the events
 * that arrived since the last one (each event is judged once, with the room as it was when it was
 * counted, as a server that evaluates push rules when an event arrives does).
 */
public final class UnreadCounter {
    /** The most events counted per room: a room nobody read for long shows at most this many. */
    public static final int MAX_SCANNED = 1000;
    private static final int PAGE = 200;

    private final RoomQueries queries;
    private final ReceiptService receipts;
    private final PushRulesService pushRules;
    private final PushEvaluator evaluator = new PushEvaluator();
    private final Map<Counted, Tally> tallies = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> rulesSeen = new ConcurrentHashMap<>();

    public UnreadCounter(RoomQueries queries, ReceiptService receipts, PushRulesService pushRules) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.receipts = Objects.requireNonNull(receipts, "receipts");
        this.pushRules = Objects.requireNonNull(pushRules, "pushRules");
    }

    /**
     * The user's counts in the room.
     *
     * @param byThread whether threads are counted apart from the main timeline
     *                 ({@code unread_thread_notifications} of the filter)
     */
    public UnreadCounts count(String roomId, String userId, boolean byThread) {
        long unthreadedMark = 0;
        Map<String, Long> threadMarks = new HashMap<>();
        for (StoredReceipt receipt : receipts.ofUser(roomId, userId)) {
            if (!receipt.receiptType().equals(ReceiptService.READ)
                    && !receipt.receiptType().equals(ReceiptService.READ_PRIVATE)) {
                continue;
            }
            long at = queries.event(receipt.eventId()).map(RoomEvent::streamOrdering).orElse(0L);
            if (receipt.threadId() == null) {
                unthreadedMark = Math.max(unthreadedMark, at);
            } else {
                threadMarks.merge(receipt.threadId(), at, Math::max);
            }
        }
        PushRuleSet rules = pushRules.rulesFor(UserId.parse(userId));
        // One copy of each user's rules, shared by the user's tallies of every room.
        ObjectNode rulesJson = rulesSeen.merge(userId, rules.toJson(), (seen, now) -> seen.equals(now) ? seen : now);
        // Read before the scan, which stops there: an event stored meanwhile is counted next time.
        long upTo = queries.currentToken().position();
        Counted counted = new Counted(roomId, userId, byThread);
        Tally earlier = tallies.get(counted);
        if (earlier != null && earlier.unthreadedMark() == unthreadedMark && earlier.threadMarks().equals(threadMarks)
                && earlier.rules().equals(rulesJson)) {
            if (earlier.upTo() >= upTo) {
                return earlier.counts();
            }
        } else {
            earlier = null;
        }
        long after = earlier == null ? unthreadedMark : Math.max(unthreadedMark, earlier.upTo());
        UnreadCounts.Count main = earlier == null ? UnreadCounts.Count.ZERO : earlier.counts().main();
        Map<String, UnreadCounts.Count> threads = earlier == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(earlier.counts().threads());
        int scanned = earlier == null ? 0 : earlier.scanned();
        Scan scan = new Scan(roomId, userId, rules, threadMarks, byThread, main, threads);
        if (earlier != null) {
            // Only what arrived since the last count: read forwards from there, so a sync after one
            // new event parses that event, not a page of the room's history.
            String from = new StreamToken(after).toString();
            while (scanned < MAX_SCANNED) {
                TimelinePage page = queries.timeline(roomId, from, TimelineDirection.FORWARDS, PAGE);
                boolean reachedUpTo = false;
                for (RoomEvent event : page.events()) {
                    if (event.streamOrdering() > upTo || ++scanned > MAX_SCANNED) {
                        reachedUpTo = true;
                        break;
                    }
                    scan.judge(event);
                }
                if (reachedUpTo || page.end() == null) {
                    break;
                }
                from = page.end();
            }
        } else {
            String from = new StreamToken(upTo).toString();
            scan:
            while (scanned < MAX_SCANNED) {
                TimelinePage page = queries.timeline(roomId, from, TimelineDirection.BACKWARDS, PAGE);
                for (RoomEvent event : page.events()) {
                    if (event.streamOrdering() <= after || ++scanned > MAX_SCANNED) {
                        break scan;
                    }
                    scan.judge(event);
                }
                if (page.end() == null) {
                    break;
                }
                from = page.end();
            }
        }
        main = scan.main;
        UnreadCounts counts = new UnreadCounts(main, threads);
        tallies.put(counted, new Tally(unthreadedMark, Map.copyOf(threadMarks), rulesJson, upTo,
                Math.min(scanned, MAX_SCANNED), counts));
        return counts;
    }

    /** The counts being added up by judging events one by one. */
    private final class Scan {
        private final String roomId;
        private final String userId;
        private final PushRuleSet rules;
        private final Map<String, Long> threadMarks;
        private final boolean byThread;
        private final Map<String, UnreadCounts.Count> threads;
        private UnreadCounts.Count main;
        private RoomFacts facts;

        Scan(String roomId, String userId, PushRuleSet rules, Map<String, Long> threadMarks, boolean byThread,
                UnreadCounts.Count main, Map<String, UnreadCounts.Count> threads) {
            this.roomId = roomId;
            this.userId = userId;
            this.rules = rules;
            this.threadMarks = threadMarks;
            this.byThread = byThread;
            this.main = main;
            this.threads = threads;
        }

        void judge(RoomEvent event) {
            if (event.outlier() || event.rejectionReason() != null || event.pdu().sender().equals(userId)) {
                return;
            }
            String thread = ReceiptService.threadOf(event);
            if (event.streamOrdering() <= threadMarks.getOrDefault(thread, 0L)) {
                return;
            }
            if (facts == null) {
                facts = roomFacts(roomId, userId);
            }
            ObjectNode json = ClientEventFormat.clientEvent(event);
            PushEvaluation outcome = evaluator.evaluate(rules, userId, json, facts.context(event.pdu().sender()));
            if (!outcome.notifies() && !outcome.highlight()) {
                return;
            }
            if (byThread && !thread.equals(ReceiptService.MAIN_THREAD)) {
                threads.merge(thread, UnreadCounts.Count.ZERO.plus(outcome.notifies(), outcome.highlight()),
                        (a, b) -> new UnreadCounts.Count(a.notifications() + b.notifications(),
                                a.highlights() + b.highlights()));
            } else {
                main = main.plus(outcome.notifies(), outcome.highlight());
            }
        }
    }

    /** Whose counts, in which room, counted how. */
    private record Counted(String roomId, String userId, boolean byThread) {
    }

    /** A count as it stood at stream position {@code upTo}, and what it was counted from. */
    private record Tally(long unthreadedMark, Map<String, Long> threadMarks, ObjectNode rules, long upTo, int scanned,
            UnreadCounts counts) {
    }

    /** What the push rules need to know about the room, read once per count. */
    private record RoomFacts(long memberCount, Optional<String> displayName, Map<String, Long> userLevels,
            long usersDefault, List<String> creators, Map<String, Long> notificationLevels) {
        RoomPushContext context(String sender) {
            long level = creators.contains(sender) ? Long.MAX_VALUE : userLevels.getOrDefault(sender, usersDefault);
            return new RoomPushContext(memberCount, displayName, level, notificationLevels);
        }
    }

    private RoomFacts roomFacts(String roomId, String userId) {
        Map<StateKey, RoomEvent> state = queries.currentState(roomId);
        long members = queries.members(roomId).stream().filter(m -> m.membership().equals("join")).count();
        Optional<String> displayName = Optional.ofNullable(state.get(new StateKey("m.room.member", userId)))
                .map(e -> e.pdu().content().path("displayname"))
                .filter(JsonNode::isTextual).map(JsonNode::asText);
        RoomEvent create = state.get(new StateKey("m.room.create", ""));
        RoomEvent powerLevels = state.get(new StateKey("m.room.power_levels", ""));
        List<String> creators = new ArrayList<>();
        if (create != null && !create.pdu().content().has("creator")) {
            // Room versions with creators (12): the create event's sender and additional creators
            // have unlimited power.
            creators.add(create.pdu().sender());
            create.pdu().content().path("additional_creators").forEach(c -> creators.add(c.asText()));
        }
        Map<String, Long> userLevels = new HashMap<>();
        long usersDefault = 0;
        Map<String, Long> notificationLevels = Map.of();
        if (powerLevels != null) {
            ObjectNode content = powerLevels.pdu().content();
            content.path("users").fields().forEachRemaining(field -> level(field.getValue())
                    .ifPresent(level -> userLevels.put(field.getKey(), level)));
            usersDefault = level(content.path("users_default")).orElse(0L);
            notificationLevels = RoomPushContext.notificationLevels(content);
        } else if (create != null) {
            // Without power levels the creator has 100 and everyone else 0.
            String creator = create.pdu().content().path("creator").asText(create.pdu().sender());
            userLevels.put(creator, 100L);
        }
        return new RoomFacts(members, displayName, userLevels, usersDefault, creators, notificationLevels);
    }

    private static Optional<Long> level(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Optional.of(value.asLong());
        }
        if (value.isTextual() && value.asText().trim().matches("[+-]?[0-9]{1,15}")) {
            return Optional.of(Long.parseLong(value.asText().trim()));
        }
        return Optional.empty();
    }
}
