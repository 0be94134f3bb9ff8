package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * One federation client over several carriers, tried in order: libp2p first (direct, relayed;
 * fast), then Tor (reaches a node behind any NAT by its onion address, slower). The next carrier
 * is tried only when the previous one could not reach the destination
 * ({@link FederationException#unreachable()}); an answer from the remote, even an error status,
 * ends the request, as the request arrived. Callers see one {@link FederationClient} and never
 * learn the carrier.
 */
public final class CarrierFederationClient implements FederationClient {
    public static final String LIBP2P = "libp2p";
    public static final String TOR = "tor";

    /** A named carrier and its counters. */
    public record Carrier(String name, FederationClient client, CarrierCounters counters) {
        public Carrier {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(counters, "counters");
        }

        public Carrier(String name, FederationClient client) {
            this(name, client, new CarrierCounters(name));
        }
    }

    private final List<Carrier> carriers;

    /** @param carriers in the order they are tried; at least one */
    public CarrierFederationClient(List<Carrier> carriers) {
        this.carriers = List.copyOf(carriers);
        if (this.carriers.isEmpty()) {
            throw new IllegalArgumentException("federation needs at least one carrier (libp2p or Tor)");
        }
    }

    /**
     * libp2p then Tor, leaving out those that are null (libp2p disabled, no tor).
     *
     * @throws IllegalArgumentException if both are null
     */
    public static CarrierFederationClient libp2pThenTor(FederationClient libp2p, FederationClient tor) {
        List<Carrier> carriers = new ArrayList<>();
        if (libp2p != null) {
            carriers.add(new Carrier(LIBP2P, libp2p));
        }
        if (tor != null) {
            carriers.add(new Carrier(TOR, tor));
        }
        return new CarrierFederationClient(carriers);
    }

    /** The carriers in the order they are tried, with their counters. */
    public List<Carrier> carriers() {
        return carriers;
    }

    @Override
    public CompletableFuture<JsonNode> request(FederationRequest request) {
        Objects.requireNonNull(request, "request");
        return attempt(request, FederationClient::request, 0, new ArrayList<>());
    }

    @Override
    public CompletableFuture<FederationBytes> requestBytes(FederationRequest request) {
        Objects.requireNonNull(request, "request");
        return attempt(request, FederationClient::requestBytes, 0, new ArrayList<>());
    }

    private <T> CompletableFuture<T> attempt(FederationRequest request,
            BiFunction<FederationClient, FederationRequest, CompletableFuture<T>> send, int index,
            List<String> unreachable) {
        Carrier carrier = carriers.get(index);
        carrier.counters().attempted();
        long began = System.nanoTime();
        CompletableFuture<T> sent;
        try {
            sent = send.apply(carrier.client(), request);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((answer, error) -> {
            if (error == null) {
                carrier.counters().succeeded(System.nanoTime() - began);
                return CompletableFuture.completedFuture(answer);
            }
            Throwable cause = FederationAnswer.unwrap(error);
            if (cause instanceof FederationException failure && !failure.unreachable()) {
                // The remote answered: the carrier did its part.
                carrier.counters().succeeded(System.nanoTime() - began);
                return CompletableFuture.<T>failedFuture(failure);
            }
            carrier.counters().failed();
            if (!(cause instanceof FederationException)) {
                // Not a carrier's failure (e.g. the request cannot be signed): another carrier fares no better.
                return CompletableFuture.<T>failedFuture(cause);
            }
            unreachable.add(carrier.name() + ": " + cause.getMessage());
            if (index + 1 < carriers.size()) {
                return attempt(request, send, index + 1, unreachable);
            }
            return CompletableFuture.<T>failedFuture(unreachable.size() == 1 ? cause
                    : FederationException.unreachable(request.destination(),
                            "no carrier reached it (" + String.join("; ", unreachable) + ")", cause));
        }).thenCompose(next -> next);
    }
}
