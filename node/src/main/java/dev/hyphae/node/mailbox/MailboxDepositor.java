package dev.hyphae.node.mailbox;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.federation.XMatrixSigner;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a federation request for an unreachable destination to one of its mailboxes: the request
 * is signed with X-Matrix exactly as if sent directly, sealed to the destination's key, padded,
 * and deposited at the destination's mailboxes in the order of its record until one accepts it. A
 * transaction larger than the largest envelope is deposited as several smaller transactions
 * ({@link TransactionParts}), one after the other; it counts as deposited once all are. A single
 * item larger than the largest envelope (an EDU; the spec caps a PDU at 64 KiB) is left out with a
 * logged reason and counted ({@link #itemsTooLarge()}) rather than keeping the whole queue behind it.
 */
public final class MailboxDepositor {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxDepositor.class);

    private final XMatrixSigner signer;
    private final EnvelopeSealer sealer;
    private final MailboxRecords records;
    private final MailboxTransport transport;
    private final Store store;
    private final Clock clock;
    private final AtomicLong itemsTooLarge = new AtomicLong();

    public MailboxDepositor(XMatrixSigner signer, EnvelopeSealer sealer, MailboxRecords records,
            MailboxTransport transport, Store store, Clock clock) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.records = Objects.requireNonNull(records, "records");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** PDUs and EDUs left out of deposits since this node started, as each was larger than an envelope. */
    public long itemsTooLarge() {
        return itemsTooLarge.get();
    }

    /**
     * Deposits {@code request} for its destination. Completes when a mailbox acknowledged it;
     * fails with {@link FederationException#unreachable()} naming each mailbox's reason when none
     * did (no record known, mailbox full, mailbox unreachable, too large for an envelope).
     */
    public CompletableFuture<Void> deposit(FederationRequest request) {
        String destination = request.destination();
        return records.find(destination).thenCompose(mailboxes -> mailboxes.isEmpty()
                ? CompletableFuture.failedFuture(FederationException.unreachable(destination,
                        "no mailbox of it is known", null))
                : deposit(request, mailboxes));
    }

    private CompletableFuture<Void> deposit(FederationRequest request, List<String> mailboxes) {
        String destination = request.destination();
        List<byte[]> envelopes = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        try {
            // A transaction larger than an envelope goes as several smaller ones, in order.
            List<FederationRequest> parts = List.of(request);
            if (TransactionParts.isTransaction(request)) {
                TransactionParts.Cut cut = TransactionParts.cut(request, EnvelopeSealer.maxPayload(),
                        part -> CanonicalJson.encode(payload(part)).length);
                parts = cut.parts();
                leftOut.addAll(cut.leftOut());
            }
            for (FederationRequest part : parts) {
                envelopes.add(sealer.seal(destination, CanonicalJson.encode(payload(part))));
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(FederationException.unreachable(destination,
                    "cannot seal for a mailbox: " + e.getMessage(), e));
        }
        CompletableFuture<Void> deposited = CompletableFuture.completedFuture(null);
        for (byte[] envelope : envelopes) {
            deposited = deposited.thenCompose(previous -> attempt(destination, envelope, mailboxes, 0, new ArrayList<>()));
        }
        // Only an EDU can be this large (a PDU is at most 64 KiB). Once the rest is deposited it is
        // dropped with the transaction, so that the queue behind it moves on; counted once, not per retry.
        return deposited.thenRun(() -> leftOut.forEach(reason -> {
            itemsTooLarge.incrementAndGet();
            LOG.warn("dropped an item for {} instead of depositing it at a mailbox: {}", destination, reason);
        }));
    }

    /** What the recipient will dispatch as if the request had arrived directly. */
    private ObjectNode payload(FederationRequest request) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("method", request.method().name());
        payload.put("uri", request.uri());
        payload.put("authorization", signer.authorization(request.method().name(), request.uri(),
                request.destination(), request.body()));
        if (request.body() != null) {
            payload.set("content", request.body());
        }
        return payload;
    }

    private CompletableFuture<Void> attempt(String destination, byte[] envelope, List<String> mailboxes, int index,
            List<String> reasons) {
        if (index == mailboxes.size()) {
            return CompletableFuture.failedFuture(FederationException.unreachable(destination,
                    "no mailbox took the transaction: " + String.join("; ", reasons), null));
        }
        String mailbox = mailboxes.get(index);
        CompletableFuture<MailboxTransport.Reply> reply;
        try {
            reply = transport.post(mailbox, MailboxTransport.DEPOSIT_PATH, envelope);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.handle((answer, error) -> {
            Optional<String> failure = error != null ? Optional.of("unreachable: " + message(error))
                    : answer.status() == 200 ? Optional.empty()
                    : Optional.of("answered " + answer.status() + " " + answer.text());
            store.write(tx -> {
                tx.mailboxes().recordDeposit(mailbox, clock.millis(), failure);
                return null;
            });
            if (failure.isEmpty()) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            reasons.add(mailbox + " " + failure.get());
            return attempt(destination, envelope, mailboxes, index + 1, reasons);
        }).thenCompose(next -> next);
    }

    private static String message(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause instanceof java.util.concurrent.CompletionException) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
