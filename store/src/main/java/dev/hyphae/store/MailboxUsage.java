package dev.hyphae.store;

import java.util.Objects;
import java.util.Optional;

/**
 * This node's own use of one mailbox: as recipient (fetches) and as sender (deposits).
 *
 * @param lastFetchTs   when this node last fetched from it, 0 for never
 * @param waiting       envelopes the mailbox still held for this node after the last fetch
 * @param fetched       envelopes fetched from it in total
 * @param deposited     envelopes this node deposited there in total
 * @param lastDepositTs when this node last deposited there, 0 for never
 * @param lastError     why the last fetch or deposit failed, empty when it succeeded
 */
public record MailboxUsage(String mailbox, long lastFetchTs, long waiting, long fetched, long deposited,
        long lastDepositTs, Optional<String> lastError) {
    public MailboxUsage {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(lastError, "lastError");
    }
}
