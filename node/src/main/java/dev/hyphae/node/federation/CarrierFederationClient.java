package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.transportpolicy.TransportPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * One federation client over several carriers, tried in order: libp2p first (direct, relayed;
 * fast), then Tor (reaches a node behind any NAT by its onion address, slower). The next carrier
 * is tried only when the previous one could not reach the destination
 * ({@link FederationException#unreachable()}) or refused it for the carrier under a room's
 * transport policy ({@link TransportPolicy#REFUSED_ERRCODE}); any other answer from the remote,
 * even an error status, ends the request, as the request arrived. Callers see one {@link FederationClient} and never
 * learn the carrier. A destination that only a later carrier reached starts with that carrier for a
 * while ({@link CarrierMemory}), then with the first again.
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

    /** How long a destination that only a later carrier reached starts with that carrier. */
    public static final Duration RETRY_EARLIER_AFTER = Duration.ofMinutes(5);
    /** Destinations remembered at most: a few bytes each. */
    public static final int REMEMBERED_DESTINATIONS = 4096;

    private final List<Carrier> carriers;
    private final CarrierMemory memory;

    /** @param carriers in the order they are tried; at least one */
    public CarrierFederationClient(List<Carrier> carriers) {
        this(carriers, new CarrierMemory(REMEMBERED_DESTINATIONS, RETRY_EARLIER_AFTER, System::nanoTime));
    }

    CarrierFederationClient(List<Carrier> carriers, CarrierMemory memory) {
        this.carriers = List.copyOf(carriers);
        this.memory = memory;
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

    /** The first carrier is tried first for {@code destination} again, e.g. once it connects over libp2p. */
    public void forget(String destination) {
        memory.forget(destination);
    }

    @Override
    public CompletableFuture<JsonNode> request(FederationRequest request) {
        return request(request, carrier -> true, "");
    }

    /**
     * Sends {@code request} over the carriers whose names {@code allowed} accepts; when it accepts
     * none of them, fails as unreachable saying {@code why} (a room's transport policy).
     */
    public CompletableFuture<JsonNode> request(FederationRequest request, Predicate<String> allowed, String why) {
        Objects.requireNonNull(request, "request");
        // Starting at the remembered carrier, then the others in order, the earlier ones last.
        int first = Math.min(memory.first(request.destination()), carriers.size() - 1);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < carriers.size(); i++) {
            int index = (first + i) % carriers.size();
            if (allowed.test(carriers.get(index).name())) {
                order.add(index);
            }
        }
        if (order.isEmpty()) {
            return CompletableFuture.failedFuture(FederationException.unreachable(request.destination(),
                    "no carrier this node runs is allowed (" + why + ")", null));
        }
        return attempt(request, FederationClient::request, order, 0, new ArrayList<>());
    }

    /** As {@link #request(FederationRequest)}, for an answer read as bytes (federation media). */
    @Override
    public CompletableFuture<FederationBytes> requestBytes(FederationRequest request) {
        Objects.requireNonNull(request, "request");
        int first = Math.min(memory.first(request.destination()), carriers.size() - 1);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < carriers.size(); i++) {
            order.add((first + i) % carriers.size());
        }
        return attempt(request, FederationClient::requestBytes, order, 0, new ArrayList<>());
    }

    private static boolean refusedByRoomPolicy(FederationException failure) {
        return failure.status() == 403 && TransportPolicy.REFUSED_ERRCODE.equals(failure.errcode());
    }

    private <T> CompletableFuture<T> attempt(FederationRequest request,
            BiFunction<FederationClient, FederationRequest, CompletableFuture<T>> send, List<Integer> order, int step,
            List<String> unreachable) {
        int index = order.get(step);
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
                memory.reached(request.destination(), index);
                return CompletableFuture.completedFuture(answer);
            }
            Throwable cause = FederationAnswer.unwrap(error);
            if (cause instanceof FederationException failure && refusedByRoomPolicy(failure) && step + 1 < order.size()) {
                // The remote knows the room's policy and this node did not yet: the next carrier may be allowed.
                carrier.counters().succeeded(System.nanoTime() - began);
                unreachable.add(carrier.name() + ": " + failure.getMessage());
                return attempt(request, send, order, step + 1, unreachable);
            }
            if (cause instanceof FederationException failure && !failure.unreachable()) {
                // The remote answered: the carrier did its part.
                carrier.counters().succeeded(System.nanoTime() - began);
                memory.reached(request.destination(), index);
                return CompletableFuture.<T>failedFuture(failure);
            }
            carrier.counters().failed();
            if (!(cause instanceof FederationException)) {
                // Not a carrier's failure (e.g. the request cannot be signed): another carrier fares no better.
                return CompletableFuture.<T>failedFuture(cause);
            }
            unreachable.add(carrier.name() + ": " + cause.getMessage());
            if (step + 1 < order.size()) {
                return attempt(request, send, order, step + 1, unreachable);
            }
            return CompletableFuture.<T>failedFuture(unreachable.size() == 1 ? cause
                    : FederationException.unreachable(request.destination(),
                            "no carrier reached it (" + String.join("; ", unreachable) + ")", cause));
        }).thenCompose(next -> next);
    }
}
