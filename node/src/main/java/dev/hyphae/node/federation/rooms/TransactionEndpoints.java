package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.acl.RoomServerAcls;
import dev.hyphae.node.federation.EduReceiver;
import dev.hyphae.node.federation.FederationEndpointGroup;
import dev.hyphae.node.federation.FederationRoutes;
import dev.hyphae.node.federation.PeerStanding;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT /_matrix/federation/v1/send/{txnId}} ("Transactions"): the PDUs go through the
 * receiving pipeline, each with its own result in the answer (those of one room in order, different
 * rooms at the same time); the EDUs go to the
 * receiver of their type (unknown types are ignored). A transaction ID is processed once per
 * origin: the answer is stored, and a retransmission gets it back without processing again.
 */
public final class TransactionEndpoints implements FederationEndpointGroup {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionEndpoints.class);
    /** The spec's limits on one transaction. */
    static final int MAX_PDUS = 50;
    static final int MAX_EDUS = 100;
    /** Rooms of transactions processed at once besides the requests' own threads. */
    private static final int ROOM_THREADS = 4;
    private static final String TO_DEVICE = "m.direct_to_device";

    private final IncomingPdus incoming;
    private final Map<String, EduReceiver> eduReceivers;
    private final Store store;
    private final Clock clock;
    private final RoomServerAcls acls;
    /** Runs the PDUs of a transaction's second and further rooms; its idle threads end. */
    private final ExecutorService roomExecutor;
    /** Told of each transaction's accepted PDUs, which raise the rate limit of its peer. */
    private volatile PeerStanding standing = new PeerStanding();
    /** Answers whose record is being written. */
    private final Map<TransactionKey, String> recording = new ConcurrentHashMap<>();

    private record TransactionKey(String origin, String txnId) {
    }

    TransactionEndpoints(IncomingPdus incoming, Map<String, EduReceiver> eduReceivers, Store store, Clock clock,
            RoomServerAcls acls) {
        this.incoming = Objects.requireNonNull(incoming, "incoming");
        this.eduReceivers = Map.copyOf(eduReceivers);
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.acls = Objects.requireNonNull(acls, "acls");
        ThreadPoolExecutor pool = new ThreadPoolExecutor(ROOM_THREADS, ROOM_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "hyphae-transaction-rooms");
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.roomExecutor = pool;
    }

    @Override
    public void register(FederationRoutes routes) {
        standing = routes.standing();
        routes.add(Method.PUT, FederationPaths.V1 + "/send/{txnId}", this::send);
    }

    /** PUT /_matrix/federation/v1/send/{txnId} */
    MatrixResponse send(String origin, MatrixRequest request) {
        String txnId = request.pathParameter("txnId");
        TransactionKey key = new TransactionKey(origin, txnId);
        Optional<String> earlier = Optional.ofNullable(recording.get(key))
                .or(() -> store.read(tx -> tx.receivedTransactions().response(origin, txnId)));
        if (earlier.isPresent()) {
            return MatrixResponse.ok(CanonicalJson.parseObjectLenient(earlier.get().getBytes(StandardCharsets.UTF_8)));
        }
        ObjectNode body = request.jsonObject().raw();
        JsonNode pdus = body.path("pdus");
        JsonNode edus = body.path("edus");
        if (!pdus.isArray()) {
            throw MatrixException.badJson("pdus must be an array");
        }
        if (!edus.isMissingNode() && !edus.isArray()) {
            throw MatrixException.badJson("edus must be an array");
        }
        if (pdus.size() > MAX_PDUS || edus.size() > MAX_EDUS) {
            throw MatrixException.badJson("a transaction holds at most " + MAX_PDUS + " PDUs and " + MAX_EDUS + " EDUs");
        }
        if (body.has("origin") && !origin.equals(body.path("origin").asText())) {
            throw MatrixException.forbidden("the transaction's origin is not the server that signed the request");
        }
        // To-device messages first: a sender shares a room key before the event it encrypts, and a
        // client that sees the event before the key (matrix-nio) never decrypts it.
        for (JsonNode edu : edus) {
            if (TO_DEVICE.equals(edu.path("edu_type").asText())) {
                dispatch(origin, edu);
            }
        }
        ObjectNode results = JsonNodeFactory.instance.objectNode();
        List<IncomingPdus.Result> received = receiveAll(origin, txnId, pdus);
        standing.transactionProcessed(request.remoteAddress(), received.size(),
                (int) received.stream().filter(IncomingPdus.Result::accepted).count());
        for (IncomingPdus.Result result : received) {
            if (result.eventId().isEmpty()) {
                continue; // an event without a derivable ID cannot be named in the answer
            }
            ObjectNode entry = results.putObject(result.eventId());
            result.error().ifPresent(error -> entry.put("error", error));
        }
        for (JsonNode edu : edus) {
            if (!TO_DEVICE.equals(edu.path("edu_type").asText())) {
                dispatch(origin, edu);
            }
        }
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.set("pdus", results);
        String answerJson = new String(CanonicalJson.encode(answer), StandardCharsets.UTF_8);
        // Not waited for: the PDUs are stored already, and without the record a retransmission is
        // processed again, which is harmless. Until it is written a retransmission finds the
        // answer here.
        recording.put(key, answerJson);
        store.write(tx -> tx.receivedTransactions().record(origin, txnId, answerJson, clock.millis()))
                .whenComplete((ignored, error) -> {
                    recording.remove(key);
                    if (error != null) {
                        LOG.warn("cannot record transaction {} from {}", txnId, origin, error);
                    }
                });
        return MatrixResponse.ok(answer);
    }

    /**
     * The results of the transaction's PDUs, in order. The PDUs of each room are processed in
     * order; different rooms at the same time, the first on this thread.
     */
    private List<IncomingPdus.Result> receiveAll(String origin, String txnId, JsonNode pdus) {
        Map<String, List<Integer>> byRoom = new LinkedHashMap<>();
        for (int i = 0; i < pdus.size(); i++) {
            byRoom.computeIfAbsent(pdus.get(i).path("room_id").asText(""), room -> new ArrayList<>()).add(i);
        }
        IncomingPdus.Result[] results = new IncomingPdus.Result[pdus.size()];
        List<Map.Entry<String, List<Integer>>> rooms = new ArrayList<>(byRoom.entrySet());
        List<CompletableFuture<Void>> others = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> room : rooms.subList(Math.min(1, rooms.size()), rooms.size())) {
            others.add(CompletableFuture.runAsync(() -> receiveRoom(origin, room, pdus, results), roomExecutor));
        }
        try {
            if (!rooms.isEmpty()) {
                receiveRoom(origin, rooms.get(0), pdus, results);
            }
            CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).join();
        } catch (IncomingPdus.OriginUnreachable e) {
            throw unreachable(origin, txnId, e);
        } catch (CompletionException e) {
            if (e.getCause() instanceof IncomingPdus.OriginUnreachable unreachable) {
                throw unreachable(origin, txnId, unreachable);
            }
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return Arrays.asList(results);
    }

    private void receiveRoom(String origin, Map.Entry<String, List<Integer>> room, JsonNode pdus,
            IncomingPdus.Result[] results) {
        List<JsonNode> jsons = new ArrayList<>();
        room.getValue().forEach(i -> jsons.add(pdus.get(i)));
        List<IncomingPdus.Result> roomResults;
        if (room.getKey().isEmpty()) {
            roomResults = new ArrayList<>(); // without a room ID: each on its own, to be refused
            jsons.forEach(json -> roomResults.add(incoming.receive(origin, json)));
        } else {
            roomResults = incoming.receiveAll(origin, room.getKey(), jsons);
        }
        for (int k = 0; k < roomResults.size(); k++) {
            results[room.getValue().get(k)] = roomResults.get(k);
        }
    }

    private static MatrixException unreachable(String origin, String txnId, IncomingPdus.OriginUnreachable e) {
        // Not recorded: the retransmission is processed again, its stored events are no-ops.
        LOG.info("transaction {} from {} answered 503: {}", txnId, origin, e.getMessage());
        return new MatrixException(503, "M_UNKNOWN", e.getMessage());
    }

    /**
     * The EDU's content without what the rooms' server ACLs deny the origin ("ACLs MUST be applied
     * to all EDUs that are local to a specific room"): a typing notification for a room that denies
     * it is dropped, and so are the receipts for such a room. {@code null} when nothing is left.
     */
    private JsonNode allowedContent(String origin, String type, JsonNode content) {
        if (type.equals("m.typing")) {
            return acls.allows(origin, content.path("room_id").asText("")) ? content : null;
        }
        if (type.equals("m.receipt") && content.isObject()) {
            ObjectNode allowed = JsonNodeFactory.instance.objectNode();
            content.fields().forEachRemaining(room -> {
                if (acls.allows(origin, room.getKey())) {
                    allowed.set(room.getKey(), room.getValue());
                }
            });
            return allowed.isEmpty() && !content.isEmpty() ? null : allowed;
        }
        return content;
    }

    private void dispatch(String origin, JsonNode edu) {
        String type = edu.path("edu_type").asText("");
        EduReceiver receiver = eduReceivers.get(type);
        if (receiver == null) {
            return; // unknown EDU types are ignored
        }
        JsonNode content = allowedContent(origin, type, edu.path("content"));
        if (content == null) {
            return;
        }
        try {
            receiver.receive(origin, content);
        } catch (RuntimeException e) {
            LOG.warn("EDU receiver for {} failed on an EDU from {}", type, origin, e);
        }
    }
}
