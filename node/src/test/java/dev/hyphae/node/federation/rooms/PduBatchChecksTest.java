package dev.hyphae.node.federation.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.event.PduVerifier;
import dev.hyphae.node.identity.OnionServerKeys;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checking a batch of received events on several threads gives what checking them one by one gives. */
class PduBatchChecksTest {
    @TempDir
    Path dir;

    private final TestFederation network = new TestFederation();
    private final ExecutorService pool = Executors.newFixedThreadPool(3);
    private final List<FederatedTestNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        nodes.forEach(FederatedTestNode::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "11", "12"})
    void parallelChecksGiveTheSameResultsInTheSameOrderAsSequentialOnes(String roomVersion) {
        BigRooms.Tampered tampered = BigRooms.withBadEvents(BigRooms.sendJoinEvents(node(), roomVersion, 60));
        List<JsonNode> events = tampered.events();
        RoomVersion version = RoomVersions.find(roomVersion).orElseThrow();

        List<PduBatchChecks.Result> sequential = PduBatchChecks.sequential(checks()).check(events, version);
        List<PduBatchChecks.Result> parallel = new PduBatchChecks(checks(), pool, 3).check(events, version);

        assertEquals(events.size(), parallel.size());
        assertEquals(describe(sequential), describe(parallel));
        assertInstanceOf(PduBatchChecks.Dropped.class, parallel.get(tampered.badSignatureAt()));
        assertTrue(((PduBatchChecks.Dropped) parallel.get(tampered.badSignatureAt())).reason().contains("signature"));
        PduBatchChecks.Valid redacted = (PduBatchChecks.Valid) parallel.get(tampered.badContentHashAt());
        assertTrue(redacted.pdu().contentView().path("displayname").isMissingNode(),
                "an event whose content hash does not match goes on redacted");
        assertInstanceOf(PduBatchChecks.Dropped.class, parallel.get(tampered.notAnEventAt()));
    }

    @Test
    void theCallingThreadChecksEverythingWhenThePoolRefusesWork() {
        List<JsonNode> events = BigRooms.sendJoinEvents(node(), RoomVersions.DEFAULT, 40);
        RoomVersion version = RoomVersions.find(RoomVersions.DEFAULT).orElseThrow();

        List<PduBatchChecks.Result> results = new PduBatchChecks(checks(), task -> {
            throw new RejectedExecutionException("saturated");
        }, 4).check(events, version);

        assertEquals(describe(PduBatchChecks.sequential(checks()).check(events, version)), describe(results));
        results.forEach(result -> assertInstanceOf(PduBatchChecks.Valid.class, result));
    }

    @Test
    void anEmptyBatchGivesNoResults() {
        assertEquals(List.of(), new PduBatchChecks(checks(), pool, 3).check(List.of(),
                RoomVersions.find(RoomVersions.DEFAULT).orElseThrow()));
    }

    private FederatedTestNode node() {
        FederatedTestNode node = new FederatedTestNode(dir.resolve("n" + nodes.size()), 1 + nodes.size(), network);
        nodes.add(node);
        return node;
    }

    private static PduChecks checks() {
        return new PduChecks(new PduVerifier(new OnionServerKeys()));
    }

    /** Each result as text: the event ID and canonical JSON of a valid event, or the reason of a dropped one. */
    private static List<String> describe(List<PduBatchChecks.Result> results) {
        List<String> described = new ArrayList<>();
        for (PduBatchChecks.Result result : results) {
            if (result instanceof PduBatchChecks.Valid valid) {
                described.add(valid.pdu().eventId() + " " + new String(valid.pdu().canonicalJson(),
                        java.nio.charset.StandardCharsets.UTF_8));
            } else {
                described.add("dropped: " + ((PduBatchChecks.Dropped) result).reason());
            }
        }
        return described;
    }
}
