package dev.hyphae.node.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hyphae.node.transportpolicy.TransportPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CarrierFederationClientTest {
    private static final String DESTINATION = "b.onion";
    private static final FederationRequest REQUEST = FederationRequest.get(DESTINATION, "/_matrix/federation/v1/version");

    private final List<String> calls = new ArrayList<>();

    /** A carrier that records that it was asked and answers with {@code outcome}. */
    private FederationClient carrier(String name, Function<FederationRequest, CompletableFuture<JsonNode>> outcome) {
        return request -> {
            calls.add(name);
            return outcome.apply(request);
        };
    }

    private static CompletableFuture<JsonNode> answer(String from) {
        return CompletableFuture.completedFuture(JsonNodeFactory.instance.textNode(from));
    }

    private static CompletableFuture<JsonNode> unreachable(String reason) {
        return CompletableFuture.failedFuture(FederationException.unreachable(DESTINATION, reason, null));
    }

    private static FederationException failure(CompletableFuture<JsonNode> future) {
        ExecutionException e = assertThrows(ExecutionException.class, future::get);
        return assertInstanceOf(FederationException.class, e.getCause());
    }

    @Test
    void libp2pIsTriedFirstAndTorIsNotAskedWhenLibp2pDelivers() throws Exception {
        CarrierFederationClient client = CarrierFederationClient.libp2pThenTor(
                carrier("libp2p", r -> answer("libp2p")), carrier("tor", r -> answer("tor")));

        assertEquals("libp2p", client.request(REQUEST).get().textValue());
        assertEquals(List.of("libp2p"), calls);
        assertEquals(1, client.carriers().get(0).counters().successes());
        assertEquals(0, client.carriers().get(1).counters().attempts());
    }

    @Test
    void torIsTriedWhenLibp2pCannotReachTheDestination() throws Exception {
        CarrierFederationClient client = CarrierFederationClient.libp2pThenTor(
                carrier("libp2p", r -> unreachable("no route")), carrier("tor", r -> answer("tor")));

        assertEquals("tor", client.request(REQUEST).get().textValue());
        assertEquals(List.of("libp2p", "tor"), calls);
        CarrierCounters libp2p = client.carriers().get(0).counters();
        CarrierCounters tor = client.carriers().get(1).counters();
        assertEquals(1, libp2p.attempts());
        assertEquals(1, libp2p.failures());
        assertEquals(1, tor.attempts());
        assertEquals(1, tor.successes());
    }

    @Test
    void anErrorAnswerOverLibp2pIsFinalAndTorIsNotAsked() {
        CarrierFederationClient client = CarrierFederationClient.libp2pThenTor(
                carrier("libp2p", r -> CompletableFuture.failedFuture(
                        FederationException.answered(DESTINATION, 403, "M_FORBIDDEN", "no"))),
                carrier("tor", r -> answer("tor")));

        FederationException failure = failure(client.request(REQUEST));

        assertEquals(403, failure.status());
        assertEquals("M_FORBIDDEN", failure.errcode());
        assertEquals(List.of("libp2p"), calls);
        assertEquals(1, client.carriers().get(0).counters().successes(), "the remote answered over libp2p");
    }

    @Test
    void whenNoCarrierReachesTheDestinationTheFailureIsUnreachableAndNamesEachCarrier() {
        CarrierFederationClient client = CarrierFederationClient.libp2pThenTor(
                carrier("libp2p", r -> unreachable("no route")), carrier("tor", r -> unreachable("descriptor not found")));

        FederationException failure = failure(client.request(REQUEST));

        assertTrue(failure.unreachable());
        assertEquals(DESTINATION, failure.destination());
        assertTrue(failure.getMessage().contains("libp2p: ") && failure.getMessage().contains("no route"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("tor: ") && failure.getMessage().contains("descriptor not found"),
                failure.getMessage());
        assertEquals(List.of("libp2p", "tor"), calls);
    }

    @Test
    void withLibp2pDisabledOnlyTorIsAsked() throws Exception {
        CarrierFederationClient client = CarrierFederationClient.libp2pThenTor(null, carrier("tor", r -> answer("tor")));

        assertEquals("tor", client.request(REQUEST).get().textValue());
        assertEquals(List.of("tor"), calls);
        assertEquals(List.of(CarrierFederationClient.TOR), client.carriers().stream().map(c -> c.name()).toList());
    }

    @Test
    void withoutTorAnUnreachableDestinationFailsAfterLibp2pAlone() {
        CarrierFederationClient client = CarrierFederationClient.libp2pThenTor(
                carrier("libp2p", r -> unreachable("no route")), null);

        FederationException failure = failure(client.request(REQUEST));

        assertTrue(failure.unreachable());
        assertTrue(failure.getMessage().contains("no route"), failure.getMessage());
        assertEquals(List.of("libp2p"), calls);
    }

    @Test
    void aFailureThatIsNoCarriersFaultIsNotRetriedOnTheNextCarrier() {
        IllegalArgumentException unsignable = new IllegalArgumentException("cannot sign");
        CarrierFederationClient client = CarrierFederationClient.libp2pThenTor(
                carrier("libp2p", r -> CompletableFuture.failedFuture(unsignable)), carrier("tor", r -> answer("tor")));

        ExecutionException e = assertThrows(ExecutionException.class, () -> client.request(REQUEST).get());

        assertSame(unsignable, e.getCause());
        assertEquals(List.of("libp2p"), calls);
    }

    @Test
    void aCarrierThatThrowsInsteadOfFailingItsFutureCountsAsUnreachable() throws Exception {
        CarrierFederationClient client = CarrierFederationClient.libp2pThenTor(
                carrier("libp2p", r -> {
                    throw FederationException.unreachable(DESTINATION, "host stopped", null);
                }),
                carrier("tor", r -> answer("tor")));

        assertEquals("tor", client.request(REQUEST).get().textValue());
        assertEquals(List.of("libp2p", "tor"), calls);
    }

    @Test
    void noCarriersIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CarrierFederationClient.libp2pThenTor(null, null));
        assertThrows(IllegalArgumentException.class, () -> new CarrierFederationClient(List.of()));
    }

    @Test
    void theLastLatencyIsRecordedForAnsweredRequests() throws Exception {
        CarrierFederationClient client = CarrierFederationClient.libp2pThenTor(carrier("libp2p", r -> answer("x")), null);
        CarrierCounters counters = client.carriers().get(0).counters();
        assertEquals(0, counters.lastLatency().toNanos());

        client.request(REQUEST).get();

        assertTrue(counters.lastLatency().toNanos() > 0);
        assertFalse(counters.toString().isEmpty());
    }

    private long now;

    private CarrierFederationClient remembering(FederationClient libp2p, FederationClient tor, int maxDestinations) {
        return new CarrierFederationClient(List.of(new CarrierFederationClient.Carrier("libp2p", libp2p),
                new CarrierFederationClient.Carrier("tor", tor)),
                new CarrierMemory(maxDestinations, java.time.Duration.ofMinutes(5), () -> now));
    }

    @Test
    void aDestinationOnlyTorReachedStartsWithTorUntilTheMemoryFades() throws Exception {
        CarrierFederationClient client = remembering(carrier("libp2p", r -> unreachable("no route")),
                carrier("tor", r -> answer("tor")), 16);

        client.request(REQUEST).get();
        client.request(REQUEST).get();
        assertEquals(List.of("libp2p", "tor", "tor"), calls);

        now += java.time.Duration.ofMinutes(5).toNanos();
        client.request(REQUEST).get();
        assertEquals(List.of("libp2p", "tor", "tor", "libp2p", "tor"), calls);
    }

    @Test
    void whenTheRememberedCarrierFailsTheEarlierOnesAreTriedAfterIt() throws Exception {
        boolean[] torUp = {true};
        CarrierFederationClient client = remembering(
                carrier("libp2p", r -> calls.size() == 1 ? unreachable("no route") : answer("libp2p")),
                carrier("tor", r -> torUp[0] ? answer("tor") : unreachable("circuit failed")), 16);
        client.request(REQUEST).get();
        torUp[0] = false;

        assertEquals("libp2p", client.request(REQUEST).get().textValue());
        assertEquals(List.of("libp2p", "tor", "tor", "libp2p"), calls);
        client.request(REQUEST).get();
        assertEquals("libp2p", calls.get(4), "libp2p reached it last, so it is first again");
    }

    @Test
    void forgettingADestinationPutsTheFirstCarrierFirstAgain() throws Exception {
        CarrierFederationClient client = remembering(carrier("libp2p", r -> calls.size() == 1
                ? unreachable("no route") : answer("libp2p")), carrier("tor", r -> answer("tor")), 16);
        client.request(REQUEST).get();

        client.forget(DESTINATION);

        assertEquals("libp2p", client.request(REQUEST).get().textValue());
    }

    @Test
    void theMemoryKeepsOnlyTheMostRecentlyUsedDestinations() throws Exception {
        CarrierMemory memory = new CarrierMemory(2, java.time.Duration.ofMinutes(5), () -> now);
        memory.reached("a.onion", 1);
        memory.reached("b.onion", 1);
        memory.first("a.onion");
        memory.reached("c.onion", 1);

        assertEquals(2, memory.size());
        assertEquals(1, memory.first("a.onion"));
        assertEquals(0, memory.first("b.onion"), "b was the least recently used and was dropped");
    }

    @Test
    void aRefusalUnderARoomsTransportPolicyIsTriedAgainOverTheNextCarrier() throws Exception {
        CarrierFederationClient client = CarrierFederationClient.libp2pThenTor(
                carrier("libp2p", r -> CompletableFuture.failedFuture(FederationException.answered(DESTINATION, 403,
                        TransportPolicy.REFUSED_ERRCODE, "room !r:a.onion is tor-only"))),
                carrier("tor", r -> answer("tor")));

        assertEquals("tor", client.request(REQUEST).get().textValue());
        assertEquals(List.of("libp2p", "tor"), calls);
    }

    @Test
    void anotherForbiddenAnswerEndsTheRequest() {
        CarrierFederationClient client = CarrierFederationClient.libp2pThenTor(
                carrier("libp2p", r -> CompletableFuture.failedFuture(FederationException.answered(DESTINATION, 403,
                        "M_FORBIDDEN", "not in the room"))),
                carrier("tor", r -> answer("tor")));

        assertEquals("M_FORBIDDEN", failure(client.request(REQUEST)).errcode());
        assertEquals(List.of("libp2p"), calls);
    }

    @Test
    void aPolicyRefusalOverTheLastCarrierIsTheAnswer() {
        CarrierFederationClient client = CarrierFederationClient.libp2pThenTor(
                carrier("libp2p", r -> CompletableFuture.failedFuture(FederationException.answered(DESTINATION, 403,
                        TransportPolicy.REFUSED_ERRCODE, "room !r:a.onion is tor-only"))), null);

        FederationException refused = failure(client.request(REQUEST));
        assertEquals(403, refused.status());
        assertEquals(TransportPolicy.REFUSED_ERRCODE, refused.errcode());
    }
}
