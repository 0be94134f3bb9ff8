package dev.hyphae.node.mailbox;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Limits of a node serving as a mailbox.
 *
 * @param maxRecipients        how many nodes it keeps a mailbox for
 * @param maxEnvelopes         envelopes kept per recipient
 * @param maxBytes             bytes of envelopes kept per recipient
 * @param expiry               how long an unfetched envelope is kept
 * @param allowedRecipients    the only nodes that may register (empty: any node, up to
 *                             {@code maxRecipients})
 * @param fetchWindow          how far a fetch request's timestamp may be from the mailbox's clock
 */
public record MailboxServeSettings(int maxRecipients, int maxEnvelopes, long maxBytes, Duration expiry,
        Set<String> allowedRecipients, Duration fetchWindow) {
    public MailboxServeSettings {
        if (maxRecipients < 1 || maxEnvelopes < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("mailbox limits must be positive");
        }
        Objects.requireNonNull(expiry, "expiry");
        if (expiry.isNegative() || expiry.isZero()) {
            throw new IllegalArgumentException("the mailbox expiry must be positive");
        }
        allowedRecipients = Set.copyOf(allowedRecipients);
        Objects.requireNonNull(fetchWindow, "fetchWindow");
    }

    /** 64 recipients, 10,000 envelopes and 256 MiB each, kept 14 days, fetches within 10 minutes. */
    public static MailboxServeSettings defaults() {
        return new MailboxServeSettings(64, 10_000, 256L * 1024 * 1024, Duration.ofDays(14), Set.of(),
                Duration.ofMinutes(10));
    }

    public MailboxServeSettings withQuota(int envelopes, long bytes) {
        return new MailboxServeSettings(maxRecipients, envelopes, bytes, expiry, allowedRecipients, fetchWindow);
    }

    public MailboxServeSettings withExpiry(Duration newExpiry) {
        return new MailboxServeSettings(maxRecipients, maxEnvelopes, maxBytes, newExpiry, allowedRecipients, fetchWindow);
    }

    public MailboxServeSettings withAllowedRecipients(Set<String> recipients) {
        return new MailboxServeSettings(maxRecipients, maxEnvelopes, maxBytes, expiry, recipients, fetchWindow);
    }
}
