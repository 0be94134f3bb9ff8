package dev.hyphae.node.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.http.Method;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The federation client of the outbound queue: sends through the carriers, and when a transaction
 * ({@code PUT /send/{txnId}}) finds its destination unreachable for longer than the grace period,
 * deposits it at a mailbox of the destination instead. A deposit a mailbox acknowledged answers
 * like an accepted transaction, so the queue removes the items only then; when no mailbox takes
 * it, the answer stays "unreachable" and the queue keeps the items and retries with its backoff.
 * Every answered request lets the records of that server be refreshed.
 */
public final class MailboxFallbackClient implements FederationClient {
    private static final String SEND_PREFIX = "/_matrix/federation/v1/send/";

    private final FederationClient carriers;
    private final MailboxDepositor depositor;
    private final MailboxRecords records;
    private final Clock clock;
    private final Duration grace;
    private final Duration directProbe;
    private final Map<String, Long> unreachableSince = new ConcurrentHashMap<>();
    private final Map<String, Long> lastDirectTry = new ConcurrentHashMap<>();

    /**
     * @param grace       how long a destination must stay unreachable before its mailboxes are used
     * @param directProbe once they are used, how often a transaction still tries the destination
     *                    first (trying an unreachable onion service can take many seconds)
     */
    public MailboxFallbackClient(FederationClient carriers, MailboxDepositor depositor, MailboxRecords records,
            Clock clock, Duration grace, Duration directProbe) {
        this.carriers = Objects.requireNonNull(carriers, "carriers");
        this.depositor = Objects.requireNonNull(depositor, "depositor");
        this.records = Objects.requireNonNull(records, "records");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.grace = Objects.requireNonNull(grace, "grace");
        this.directProbe = Objects.requireNonNull(directProbe, "directProbe");
    }

    @Override
    public CompletableFuture<JsonNode> request(FederationRequest request) {
        String destination = request.destination();
        boolean transaction = request.method() == Method.PUT && request.uri().startsWith(SEND_PREFIX);
        long start = clock.millis();
        if (transaction && depositing(destination, start)
                && start - lastDirectTry.getOrDefault(destination, 0L) < directProbe.toMillis()) {
            return deposit(request, FederationException.unreachable(destination, "unreachable recently", null));
        }
        if (transaction) {
            lastDirectTry.put(destination, start);
        }
        return carriers.request(request).handle((body, error) -> {
            if (error == null) {
                unreachableSince.remove(destination);
                records.reachable(destination);
                return CompletableFuture.completedFuture(body);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (!(cause instanceof FederationException failure) || !failure.unreachable()) {
                if (cause instanceof FederationException) {
                    records.reachable(destination); // it answered, so it is there
                }
                return CompletableFuture.<JsonNode>failedFuture(cause);
            }
            long now = clock.millis();
            unreachableSince.putIfAbsent(destination, now);
            if (!transaction || !depositing(destination, now)) {
                return CompletableFuture.<JsonNode>failedFuture(cause);
            }
            return deposit(request, failure);
        }).thenCompose(next -> next);
    }

    /** Whether {@code destination} has been unreachable for the grace period. */
    private boolean depositing(String destination, long now) {
        Long since = unreachableSince.get(destination);
        return since != null && now - since >= grace.toMillis();
    }

    private CompletableFuture<JsonNode> deposit(FederationRequest request, FederationException direct) {
        return depositor.deposit(request).<JsonNode>thenApply(deposited -> accepted()).exceptionallyCompose(
                depositFailure -> CompletableFuture.failedFuture(FederationException.unreachable(request.destination(),
                        direct.getMessage() + "; " + unwrap(depositFailure).getMessage(), direct)));
    }

    /** The answer of a transaction a mailbox took: every PDU accepted from the queue's point of view. */
    private static JsonNode accepted() {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.putObject("pdus");
        return answer;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
