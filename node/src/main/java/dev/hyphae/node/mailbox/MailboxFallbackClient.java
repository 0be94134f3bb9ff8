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
    private final Map<String, Long> unreachableSince = new ConcurrentHashMap<>();

    /** @param grace how long a destination must stay unreachable before its mailboxes are used */
    public MailboxFallbackClient(FederationClient carriers, MailboxDepositor depositor, MailboxRecords records,
            Clock clock, Duration grace) {
        this.carriers = Objects.requireNonNull(carriers, "carriers");
        this.depositor = Objects.requireNonNull(depositor, "depositor");
        this.records = Objects.requireNonNull(records, "records");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.grace = Objects.requireNonNull(grace, "grace");
    }

    @Override
    public CompletableFuture<JsonNode> request(FederationRequest request) {
        String destination = request.destination();
        boolean transaction = request.method() == Method.PUT && request.uri().startsWith(SEND_PREFIX);
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
            long since = unreachableSince.computeIfAbsent(destination, d -> now);
            if (!transaction || now - since < grace.toMillis()) {
                return CompletableFuture.<JsonNode>failedFuture(cause);
            }
            return depositor.deposit(request).<JsonNode>thenApply(deposited -> accepted()).exceptionallyCompose(
                    depositFailure -> CompletableFuture.failedFuture(FederationException.unreachable(destination,
                            failure.getMessage() + "; " + unwrap(depositFailure).getMessage(), failure)));
        }).thenCompose(next -> next);
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
