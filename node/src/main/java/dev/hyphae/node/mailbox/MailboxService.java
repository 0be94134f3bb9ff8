package dev.hyphae.node.mailbox;

import dev.hyphae.store.MailboxEnvelope;
import dev.hyphae.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * A node serving as mailbox: keeps sealed envelopes for the nodes registered with it and hands them
 * out to the recipient alone. It stores per envelope only the recipient, the opaque bytes, their
 * digest and a coarse expiry (rounded up to the hour, so it does not keep the deposit time
 * exactly); nothing about who deposited it.
 */
public final class MailboxService {
    static final long EXPIRY_GRANULARITY = Duration.ofHours(1).toMillis();
    private static final int LARGEST_ENVELOPE = PaddedSizes.ENVELOPE_SIZES.get(PaddedSizes.ENVELOPE_SIZES.size() - 1);

    private final Store store;
    private final MailboxServeSettings settings;
    private final Clock clock;

    public MailboxService(Store store, MailboxServeSettings settings, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Stores an envelope for its recipient.
     *
     * @throws MailboxRefusal 413 when larger than any envelope, 400 for anything that is not an
     *                        envelope, 404 when this node keeps no mailbox for the recipient, 409
     *                        for an envelope stored or fetched before, 507 when the recipient's
     *                        mailbox is full (the sender should keep it and try later)
     */
    public void deposit(byte[] body) {
        Objects.requireNonNull(body, "body");
        if (body.length > LARGEST_ENVELOPE) {
            throw new MailboxRefusal(413, "M_TOO_LARGE", "an envelope is at most " + LARGEST_ENVELOPE + " bytes");
        }
        EnvelopeHeader header;
        String recipient;
        try {
            header = EnvelopeHeader.parse(body);
            recipient = header.recipient();
        } catch (IllegalArgumentException e) {
            throw MailboxRefusal.badEnvelope(e.getMessage());
        }
        byte[] id = FetchRequest.sha256(body);
        long now = clock.millis();
        long expires = roundUp(now + settings.expiry().toMillis());
        run(() -> store.write(tx -> {
            var boxes = tx.mailboxes();
            boxes.deleteExpired(now);
            if (!boxes.isRecipient(recipient)) {
                throw new MailboxRefusal(404, MailboxRefusal.NO_MAILBOX, "no mailbox here for " + recipient);
            }
            if (boxes.seen(id, now)) {
                throw new MailboxRefusal(409, MailboxRefusal.REPLAYED, "this envelope was delivered before");
            }
            if (boxes.envelopeCount(recipient) >= settings.maxEnvelopes()
                    || boxes.envelopeBytes(recipient) + body.length > settings.maxBytes()) {
                throw new MailboxRefusal(507, MailboxRefusal.MAILBOX_FULL, "the mailbox of " + recipient + " is full");
            }
            if (!boxes.deposit(recipient, id, body, expires)) {
                throw new MailboxRefusal(409, MailboxRefusal.REPLAYED, "this envelope is stored already");
            }
            return null;
        }).join());
    }

    /**
     * Answers a recipient's signed fetch: deletes the envelopes it names (they cannot be deposited
     * again until they would have expired), registers the recipient when new and allowed, and
     * returns the oldest waiting envelopes, padded.
     *
     * @throws MailboxRefusal 400 for a malformed request; 401 for a bad signature, a timestamp
     *                        outside the window or a replayed request; 403 when the recipient may
     *                        not register here
     */
    public byte[] fetch(byte[] body) {
        Objects.requireNonNull(body, "body");
        FetchRequest request = FetchRequest.parse(body);
        long now = clock.millis();
        long window = settings.fetchWindow().toMillis();
        if (Math.abs(request.ts() - now) > window) {
            throw MailboxRefusal.unauthorized("the fetch request's ts is more than " + settings.fetchWindow()
                    + " from the mailbox's clock");
        }
        long keepDeletedUntil = roundUp(now + settings.expiry().toMillis());
        return run(() -> store.write(tx -> {
            var boxes = tx.mailboxes();
            boxes.deleteExpired(now);
            if (!boxes.markSeen(request.digest(), now + 2 * window, now)) {
                throw MailboxRefusal.unauthorized("this fetch request was used before");
            }
            if (!boxes.isRecipient(request.recipient())) {
                boolean allowed = settings.allowedRecipients().isEmpty()
                        || settings.allowedRecipients().contains(request.recipient());
                if (!allowed || boxes.recipientCount() >= settings.maxRecipients()) {
                    throw new MailboxRefusal(403, "M_FORBIDDEN", "this mailbox does not serve " + request.recipient());
                }
                boxes.addRecipient(request.recipient(), roundUp(now));
            }
            boxes.delete(request.recipient(), request.delete());
            for (byte[] id : request.delete()) {
                boxes.markSeen(id, keepDeletedUntil, now);
            }
            List<FetchAnswer.Entry> entries = new ArrayList<>();
            for (MailboxEnvelope envelope : boxes.envelopes(request.recipient(), FetchRequest.MAX_ENVELOPES)) {
                if (!FetchAnswer.fits(entries, envelope.body().length)) {
                    break;
                }
                entries.add(new FetchAnswer.Entry(envelope.envelopeId(), envelope.body()));
            }
            long remaining = boxes.envelopeCount(request.recipient()) - entries.size();
            return new FetchAnswer(entries, remaining).encode();
        }).join());
    }

    private static long roundUp(long ts) {
        return (ts + EXPIRY_GRANULARITY - 1) / EXPIRY_GRANULARITY * EXPIRY_GRANULARITY;
    }

    /** Runs a store unit, giving back a refusal thrown inside it as itself. */
    private static <T> T run(java.util.function.Supplier<T> unit) {
        try {
            return unit.get();
        } catch (CompletionException e) {
            if (e.getCause() instanceof MailboxRefusal refusal) {
                throw refusal;
            }
            throw e;
        }
    }
}
