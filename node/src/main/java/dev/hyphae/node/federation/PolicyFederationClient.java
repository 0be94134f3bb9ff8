package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.transportpolicy.TransportPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Federation requests under their rooms' transport policies: a request that carries a room's
 * traffic uses only the carriers every one of its rooms allows (a transaction with one
 * {@code tor-only} room's PDU goes over Tor only). A room's policy event goes only over carriers
 * both the policy before it and the one it sets allow. A request whose path and body name no room
 * (GET /event) carries the room it was marked with ({@link FederationRequest#roomId()}). A room
 * this node has no state for yet (a first join) has the default policy.
 */
public final class PolicyFederationClient implements FederationClient {
    private final CarrierFederationClient carriers;
    private final Function<String, TransportPolicy> policyOfRoom;

    /** @param policyOfRoom the current policy of a room, {@link TransportPolicy#DEFAULT} when unknown */
    public PolicyFederationClient(CarrierFederationClient carriers, Function<String, TransportPolicy> policyOfRoom) {
        this.carriers = Objects.requireNonNull(carriers, "carriers");
        this.policyOfRoom = Objects.requireNonNull(policyOfRoom, "policyOfRoom");
    }

    public CarrierFederationClient carriers() {
        return carriers;
    }

    @Override
    public CompletableFuture<JsonNode> request(FederationRequest request) {
        Map<String, TransportPolicy> policies = new LinkedHashMap<>();
        try {
            for (String room : RoomsOfRequest.roomIds(request)) {
                policies.put(room + " is", policyOfRoom.apply(room));
            }
            // A policy event obeys the policy it sets too: the event that makes a room tor-only
            // never leaves over libp2p, and the one that ends tor-only still leaves over Tor.
            JsonNode body = request.body();
            if (body != null) {
                for (JsonNode pdu : body.path("pdus")) {
                    if (RoomsOfRequest.isPolicyEvent(pdu)) {
                        policies.merge(pdu.path("room_id").asText() + " becomes",
                                TransportPolicy.ofContent(pdu.get("content")), PolicyFederationClient::stricter);
                    }
                }
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (policies.values().stream().allMatch(policy -> policy == TransportPolicy.DEFAULT)) {
            return carriers.request(request);
        }
        String restricted = policies.entrySet().stream().filter(entry -> entry.getValue() != TransportPolicy.DEFAULT)
                .map(entry -> entry.getKey() + " " + entry.getValue().value()).collect(Collectors.joining(", "));
        return carriers.request(request,
                carrier -> policies.values().stream().allMatch(policy -> policy.allows(carrier)), restricted);
    }

    /** Of two policies, the one allowing fewer carriers (two events of one room in one transaction). */
    private static TransportPolicy stricter(TransportPolicy a, TransportPolicy b) {
        return a.carriers().size() <= b.carriers().size() ? a : b;
    }

    /** Media requests name no room: every carrier may take them. */
    @Override
    public CompletableFuture<FederationBytes> requestBytes(FederationRequest request) {
        return carriers.requestBytes(request);
    }
}
