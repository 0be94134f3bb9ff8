package dev.hyphae.node.federation.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The network boundary of the federation code as a test double: records every request, answers
 * 200 {@code {"pdus": {}}} unless told to fail (unreachable, or a status), optionally after a
 * delay, and notes when two requests to one destination overlap.
 */
public final class RecordingFederationClient implements FederationClient {
    /** A request and how it was answered. */
    public record Exchange(FederationRequest request, boolean accepted) {
    }

    private final List<Exchange> exchanges = new ArrayList<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger overlaps = new AtomicInteger();
    private volatile Function<FederationRequest, FederationException> failure = request -> null;
    private volatile Duration delay = Duration.ZERO;
    private final AtomicInteger unansweredLeft = new AtomicInteger();

    @Override
    public CompletableFuture<JsonNode> request(FederationRequest request) {
        AtomicInteger count = inFlight.computeIfAbsent(request.destination(), d -> new AtomicInteger());
        if (count.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        boolean unanswered = unansweredLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
        FederationException refusal = unanswered ? null : failure.apply(request);
        synchronized (exchanges) {
            exchanges.add(new Exchange(request, !unanswered && refusal == null));
            exchanges.notifyAll();
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        if (unanswered) {
            return answer;
        }
        Runnable complete = () -> {
            count.decrementAndGet();
            if (refusal == null) {
                answer.complete(JsonNodeFactory.instance.objectNode().set("pdus", JsonNodeFactory.instance.objectNode()));
            } else {
                answer.completeExceptionally(refusal);
            }
        };
        if (delay.isZero()) {
            complete.run();
        } else {
            CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(complete);
        }
        return answer;
    }

    /** Every destination is reachable and accepts everything. */
    public void acceptAll() {
        failure = request -> null;
    }

    /** No destination can be reached. */
    public void unreachable() {
        failure = request -> FederationException.unreachable(request.destination(), "no route", null);
    }

    /** Each request gets the refusal {@code rule} returns, or 200 when it returns null. */
    public void failWhen(Function<FederationRequest, FederationException> rule) {
        failure = rule;
    }

    /** The next request finds its destination unreachable; later ones are never answered. */
    public void failOnceThenHang() {
        failure = request -> {
            unansweredLeft.set(Integer.MAX_VALUE);
            return FederationException.unreachable(request.destination(), "no route", null);
        };
    }

    /** The next {@code count} requests are never answered. */
    public void leaveUnanswered(int count) {
        unansweredLeft.set(count);
    }

    /** Answers arrive after {@code delay} on another thread. */
    public void answerAfter(Duration delay) {
        this.delay = delay;
    }

    public List<Exchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    public List<FederationRequest> requestsTo(String destination) {
        return exchanges().stream().map(Exchange::request).filter(r -> r.destination().equals(destination)).toList();
    }

    /** The PDUs of accepted transactions to {@code destination}, in the order they were sent. */
    public List<JsonNode> acceptedPdus(String destination) {
        return accepted(destination, "pdus");
    }

    /** The EDUs of accepted transactions to {@code destination}, in the order they were sent. */
    public List<JsonNode> acceptedEdus(String destination) {
        return accepted(destination, "edus");
    }

    /** How often a request to a destination was made while another to it was unanswered. */
    public int overlaps() {
        return overlaps.get();
    }

    /** Waits until {@code condition} holds, or fails after 20 s. */
    public void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        synchronized (exchanges) {
            while (!condition.getAsBoolean()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + what + "; exchanges: " + exchanges.size());
                }
                exchanges.wait(Math.min(left, 50));
            }
        }
    }

    private List<JsonNode> accepted(String destination, String field) {
        List<JsonNode> units = new ArrayList<>();
        for (Exchange exchange : exchanges()) {
            if (exchange.accepted() && exchange.request().destination().equals(destination)) {
                exchange.request().body().path(field).forEach(units::add);
            }
        }
        return units;
    }
}
