package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.transportpolicy.TransportPolicy;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Federation requests under their rooms' transport policies: a request that carries a room's
 * traffic uses only the carriers every one of its rooms allows (a transaction with one
 * {@code tor-only} room's PDU goes over Tor only). A room this node has no state for yet (a first
 * join) has the default policy.
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
        Map<String, TransportPolicy> policies;
        try {
            policies = RoomsOfRequest.roomIds(request).stream()
                    .collect(Collectors.toMap(room -> room, policyOfRoom));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (policies.values().stream().allMatch(policy -> policy == TransportPolicy.DEFAULT)) {
            return carriers.request(request);
        }
        String restricted = policies.entrySet().stream().filter(entry -> entry.getValue() != TransportPolicy.DEFAULT)
                .map(entry -> entry.getKey() + " is " + entry.getValue().value()).collect(Collectors.joining(", "));
        return carriers.request(request,
                carrier -> policies.values().stream().allMatch(policy -> policy.allows(carrier)), restricted);
    }
}
