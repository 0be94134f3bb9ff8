package dev.hyphae.node.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.accountdata.AccountDataService;
import dev.hyphae.node.edu.RoomServers;
import dev.hyphae.node.federation.EduOutbox;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.sync.SyncNotifier;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoredReceipt;
import dev.hyphae.store.WriteTransaction;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Read receipts and read markers (client-server API, "Receipts" and "Fully read markers"). Receipts
 * are durable in the store. A receipt never moves back: one for an event older than the receipt it
 * would replace (same user, type and thread) is accepted and ignored. Public {@code m.read}
 * receipts of local users go to the servers of the room's other members as {@code m.receipt} EDUs;
 * private ones stay on this node.
 */
public final class ReceiptService {
    public static final String READ = "m.read";
    public static final String READ_PRIVATE = "m.read.private";
    public static final String FULLY_READ = "m.fully_read";
    /** The receipt types a client may send; {@code m.fully_read} is the read marker, not a receipt. */
    public static final Set<String> CLIENT_TYPES = Set.of(READ, READ_PRIVATE, FULLY_READ);
    /** The EDU type, also the type of the event in a room's {@code ephemeral} section. */
    public static final String EDU_TYPE = "m.receipt";
    /** The thread ID of a receipt for the main timeline rather than a thread. */
    public static final String MAIN_THREAD = "main";

    private final Store store;
    private final RoomQueries queries;
    private final AccountDataService accountData;
    private final RoomServers servers;
    private final SyncNotifier notifier;
    private final EduOutbox outbox;
    private final Clock clock;

    public ReceiptService(Store store, RoomQueries queries, AccountDataService accountData, RoomServers servers,
            SyncNotifier notifier, EduOutbox outbox, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.accountData = Objects.requireNonNull(accountData, "accountData");
        this.servers = Objects.requireNonNull(servers, "servers");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@code POST /rooms/{roomId}/receipt/{receiptType}/{eventId}}: a local user's receipt, or the
     * read marker for {@code m.fully_read}.
     *
     * @param threadId the thread root's event ID or {@code main}; empty for an unthreaded receipt
     * @throws MatrixException M_FORBIDDEN when the user is not joined, M_INVALID_PARAM for an
     *                         unknown type or a thread that does not fit the event, M_NOT_FOUND
     *                         for an event that is not in the room
     */
    public void sendReceipt(String userId, String roomId, String receiptType, String eventId,
            Optional<String> threadId) {
        if (!CLIENT_TYPES.contains(receiptType)) {
            throw MatrixException.invalidParam("Unknown receipt type " + receiptType);
        }
        if (receiptType.equals(FULLY_READ)) {
            if (threadId.isPresent()) {
                throw MatrixException.invalidParam("thread_id cannot be given for m.fully_read");
            }
            setReadMarkers(userId, roomId, Optional.of(eventId), Optional.empty(), Optional.empty());
            return;
        }
        requireJoined(roomId, userId);
        RoomEvent event = eventInRoom(roomId, eventId);
        threadId.ifPresent(thread -> requireInThread(event, thread));
        List<Marker> markers = List.of(new Marker(receiptType, event, threadId.orElse(null)));
        write(userId, roomId, Optional.empty(), markers);
    }

    /**
     * {@code POST /rooms/{roomId}/read_markers}: the fully read marker (room account data
     * {@code m.fully_read}) and unthreaded receipts, written together.
     */
    public void setReadMarkers(String userId, String roomId, Optional<String> fullyRead, Optional<String> read,
            Optional<String> readPrivate) {
        requireJoined(roomId, userId);
        Optional<RoomEvent> marker = fullyRead.map(id -> eventInRoom(roomId, id));
        List<Marker> markers = new ArrayList<>();
        read.ifPresent(id -> markers.add(new Marker(READ, eventInRoom(roomId, id), null)));
        readPrivate.ifPresent(id -> markers.add(new Marker(READ_PRIVATE, eventInRoom(roomId, id), null)));
        write(userId, roomId, marker, markers);
    }

    /**
     * A remote user's {@code m.read} receipt from an {@code m.receipt} EDU, already checked by the
     * receiver. The event may be one this node does not hold.
     */
    void receiveRemote(String roomId, String userId, String eventId, long ts, String threadId) {
        long eventOrdering = queries.event(eventId).map(RoomEvent::streamOrdering).orElse(Long.MAX_VALUE);
        store.write(tx -> {
            if (movesForward(tx, roomId, READ, userId, threadId, eventOrdering)) {
                tx.receipts().put(roomId, READ, userId, threadId, eventId, ts);
                tx.afterCommit(() -> servers.localMembersOf(roomId).forEach(notifier::wake));
            }
            return null;
        }).join();
    }

    /** The newest position of the receipts stream. */
    public long currentPosition() {
        return store.read(tx -> tx.receipts().currentPosition());
    }

    /** Every receipt of the room. */
    public List<StoredReceipt> inRoom(String roomId) {
        return store.read(tx -> tx.receipts().inRoom(roomId));
    }

    /** The receipts changed after {@code from} up to {@code to}, in every room. */
    public List<StoredReceipt> changedBetween(long from, long to) {
        return store.read(tx -> tx.receipts().changedBetween(from, to));
    }

    /** The user's own receipts in the room, private ones included. */
    public List<StoredReceipt> ofUser(String roomId, String userId) {
        return store.read(tx -> tx.receipts().ofUser(roomId, userId));
    }

    private record Marker(String type, RoomEvent event, String threadId) {
    }

    private void write(String userId, String roomId, Optional<RoomEvent> fullyRead, List<Marker> markers) {
        long now = clock.millis();
        List<Marker> written = store.write(tx -> {
            List<Marker> changed = new ArrayList<>();
            for (Marker marker : markers) {
                if (movesForward(tx, roomId, marker.type(), userId, marker.threadId(),
                        marker.event().streamOrdering())) {
                    tx.receipts().put(roomId, marker.type(), userId, marker.threadId(), marker.event().eventId(), now);
                    changed.add(marker);
                }
            }
            fullyRead.ifPresent(event -> {
                ObjectNode content = JsonNodeFactory.instance.objectNode().put("event_id", event.eventId());
                accountData.setInTransaction(tx, userId, roomId, FULLY_READ, content);
            });
            boolean publicChange = changed.stream().anyMatch(marker -> marker.type().equals(READ));
            if (!changed.isEmpty()) {
                // Everyone in the room sees a public receipt; only its owner a private one.
                tx.afterCommit(() -> {
                    if (publicChange) {
                        servers.localMembersOf(roomId).forEach(notifier::wake);
                    } else {
                        notifier.wake(userId);
                    }
                });
            }
            return changed;
        }).join();
        for (Marker marker : written) {
            Set<String> destinations = marker.type().equals(READ) ? servers.remoteServersOf(roomId) : Set.of();
            if (!destinations.isEmpty()) {
                outbox.send(destinations, EDU_TYPE, edu(roomId, userId, marker, now));
            }
        }
    }

    /** Whether a receipt at an event of this ordering is ahead of the stored one (or there is none). */
    private boolean movesForward(WriteTransaction tx, String roomId, String type, String userId, String threadId,
            long eventOrdering) {
        Optional<StoredReceipt> current = tx.receipts().get(roomId, type, userId, threadId);
        if (current.isEmpty()) {
            return true;
        }
        long currentOrdering = tx.events().get(current.get().eventId()).map(e -> e.streamOrdering()).orElse(0L);
        return eventOrdering > currentOrdering;
    }

    private static ObjectNode edu(String roomId, String userId, Marker marker, long ts) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        ObjectNode receipt = content.putObject(roomId).putObject(READ).putObject(userId);
        receipt.putArray("event_ids").add(marker.event().eventId());
        ObjectNode data = receipt.putObject("data");
        data.put("ts", ts);
        if (marker.threadId() != null) {
            data.put("thread_id", marker.threadId());
        }
        return content;
    }

    private void requireJoined(String roomId, String userId) {
        if (!servers.isJoined(roomId, userId)) {
            throw MatrixException.forbidden("You are not joined to " + roomId);
        }
    }

    private RoomEvent eventInRoom(String roomId, String eventId) {
        return queries.event(eventId).filter(event -> event.pdu().roomId().equals(roomId))
                .orElseThrow(() -> MatrixException.notFound("Event " + eventId + " is not in room " + roomId));
    }

    /** The thread an event is in: the root's ID for a thread's event, {@code main} otherwise. */
    public static String threadOf(RoomEvent event) {
        JsonNode relation = event.pdu().content().path("m.relates_to");
        if (relation.path("rel_type").asText("").equals("m.thread") && relation.path("event_id").isTextual()) {
            return relation.get("event_id").asText();
        }
        return MAIN_THREAD;
    }

    private static void requireInThread(RoomEvent event, String threadId) {
        String thread = threadOf(event);
        // A thread's root belongs to the main timeline and opens its thread: receipts of both fit.
        boolean fits = thread.equals(threadId) || event.eventId().equals(threadId);
        if (!fits) {
            throw MatrixException.invalidParam("Event " + event.eventId() + " is not in thread " + threadId);
        }
    }
}
