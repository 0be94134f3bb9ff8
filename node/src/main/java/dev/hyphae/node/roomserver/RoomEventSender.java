package dev.hyphae.node.roomserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.auth.EventAuthorizer;
import dev.hyphae.node.dag.PrevEventsSelection;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.stateres.StateResolver;
import dev.hyphae.node.transportpolicy.TransportPolicy;
import dev.hyphae.store.ClientTransaction;
import dev.hyphae.store.ReadTransaction;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoredEvent;
import dev.hyphae.store.WriteUnit;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Sends local users' events into rooms this node holds: builds the event on the room's current
 * head, checks it against the authorization rules, and stores it (event, state after it, forward
 * extremities, membership) in one store write. The calls block until the write is durably
 * committed. Sends to one room are serialised; sends to different rooms are not.
 */
public final class RoomEventSender {
    private final Store store;
    private final RoomLocks locks;
    private final RoomHeadLoader heads;
    private final LocalEventBuilder builder;
    private final RoomEventWriter writer;
    private final Clock clock;

    public RoomEventSender(Store store, EventAuthorizer authorizer, EventSigner signer, RoomEventNotifier notifier,
            Clock clock) {
        this(store, authorizer, signer, notifier, RoomEventOutbox.NONE, clock);
    }

    /**
     * A sender whose events are also queued for the other servers of their rooms through
     * {@code outbox}, in the same store write that stores them.
     */
    public RoomEventSender(Store store, EventAuthorizer authorizer, EventSigner signer, RoomEventNotifier notifier,
            RoomEventOutbox outbox, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.locks = new RoomLocks();
        this.heads = new RoomHeadLoader(store, new StateResolver(authorizer));
        this.builder = new LocalEventBuilder(authorizer, signer, new PrevEventsSelection());
        this.writer = new RoomEventWriter(notifier, outbox);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Sends {@code draft}.
     *
     * @throws RoomServerException NOT_FOUND for an unknown room, FORBIDDEN with the rules' reason
     *                             when the event is rejected (nothing is stored then), TOO_LARGE
     *                             over the 64 KiB event limit, BAD_REQUEST when it otherwise breaks
     *                             the event format (for example floats in the content)
     */
    public SentEvent send(EventDraft draft) {
        Objects.requireNonNull(draft, "draft");
        return send(draft.roomId(), head -> draft, Optional.empty());
    }

    /**
     * Sends {@code draft} under a client transaction ID: a retransmission (same sender, device and
     * request path) returns the first send's event ID, marked {@link SentEvent#repeated()}, without
     * making a new event.
     */
    public SentEvent send(EventDraft draft, ClientTxn txn) {
        Objects.requireNonNull(draft, "draft");
        Objects.requireNonNull(txn, "txn");
        // A retransmission is answered without building anything; the write checks again for races.
        Optional<SentEvent> earlier = store.read(tx -> repeated(tx, draft.sender(), txn));
        if (earlier.isPresent()) {
            return earlier.get();
        }
        return send(draft.roomId(), head -> draft, Optional.of(txn));
    }

    /**
     * Sends the event {@code draftFor} makes from the room's head, holding the room's lock from
     * reading the head to the commit (so membership operations can look at the current state).
     */
    SentEvent send(String roomId, Function<RoomHead, EventDraft> draftFor, Optional<ClientTxn> txn) {
        return send(roomId, draftFor, txn, (head, pdu) -> pdu);
    }

    /**
     * {@link #send(String, Function, Optional)} handing the built event to {@code beforeCommit}
     * first, which returns the event to store: the same one, or the same event with more
     * signatures (an invite the invitee's server has signed). It may refuse by throwing.
     */
    SentEvent send(String roomId, Function<RoomHead, EventDraft> draftFor, Optional<ClientTxn> txn,
            BiFunction<RoomHead, Pdu, Pdu> beforeCommit) {
        return locks.withRoom(roomId, () -> {
            RoomHead head = heads.load(roomId);
            EventDraft draft = draftFor.apply(head);
            if (!draft.roomId().equals(roomId)) {
                throw new IllegalArgumentException("draft for room " + draft.roomId() + " sent to " + roomId);
            }
            if (TransportPolicy.EVENT_TYPE.equals(draft.type()) && "".equals(draft.stateKey())) {
                // A policy other nodes would not understand would be read as tor-only there.
                TransportPolicy.problemWith(draft.content()).ifPresent(problem -> {
                    throw RoomServerException.badRequest(TransportPolicy.EVENT_TYPE + ": " + problem);
                });
            }
            Pdu built = builder.build(head, draft, clock.millis());
            Pdu pdu = beforeCommit.apply(head, built);
            if (!pdu.eventId().equals(built.eventId())) {
                throw new IllegalStateException("event " + built.eventId() + " came back as " + pdu.eventId());
            }
            long[] stateGroupAfter = {-1};
            // Encoded here, not on the store's single writer thread.
            String response = txn.isPresent() ? eventIdResponse(pdu.eventId()) : null;
            SentEvent sent = commit(tx -> {
                if (txn.isPresent()) {
                    // Two retransmissions may both have passed the first check.
                    Optional<SentEvent> earlier = repeated(tx, draft.sender(), txn.get());
                    if (earlier.isPresent()) {
                        return earlier.get();
                    }
                }
                RoomEventWriter.Written written = writer.writeEvents(tx, head, List.of(pdu));
                stateGroupAfter[0] = written.stateGroupAfter();
                txn.ifPresent(t -> tx.clientTransactions().record(new ClientTransaction(draft.sender(), t.deviceId(),
                        t.requestPath(), 200, response, clock.millis())));
                return new SentEvent(roomId, pdu.eventId(), written.streamOrderings().get(0), false);
            });
            if (!sent.repeated()) {
                // Committed: the next send to the room starts from here instead of reading and parsing it again.
                heads.keep(head.after(pdu, stateGroupAfter[0]));
            }
            return sent;
        });
    }

    /** Runs {@code unit} in one store write and waits for the commit, unwrapping the unit's refusals. */
    <T> T commit(WriteUnit<T> unit) {
        try {
            return store.write(unit).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    RoomLocks locks() {
        return locks;
    }

    RoomHeadLoader heads() {
        return heads;
    }

    LocalEventBuilder builder() {
        return builder;
    }

    RoomEventWriter writer() {
        return writer;
    }

    Clock clock() {
        return clock;
    }

    private static Optional<SentEvent> repeated(ReadTransaction tx, String sender, ClientTxn txn) {
        Optional<ClientTransaction> recorded = tx.clientTransactions().get(sender, txn.deviceId(), txn.requestPath());
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        JsonNode eventId = CanonicalJson.parseObjectLenient(recorded.get().responseJson().getBytes(StandardCharsets.UTF_8))
                .path("event_id");
        if (!eventId.isTextual()) {
            throw new IllegalStateException("client transaction " + txn + " recorded without an event ID");
        }
        StoredEvent event = tx.events().get(eventId.textValue()).orElseThrow(() -> new IllegalStateException(
                "client transaction " + txn + " names event " + eventId.textValue() + ", which is not stored"));
        return Optional.of(new SentEvent(event.roomId(), event.eventId(), event.streamOrdering(), true));
    }

    private static String eventIdResponse(String eventId) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("event_id", eventId);
        return new String(CanonicalJson.encode(response), StandardCharsets.UTF_8);
    }
}
