package dev.hyphae.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Store-and-forward mailboxes. Serving side: the recipients this node keeps envelopes for, the
 * envelopes (opaque, no sender), and replay marks (digests of requests and envelopes already seen,
 * each until it expires). Own side: the signed mailbox records of other servers, and how this node
 * used each mailbox.
 */
public interface Mailboxes {
    /** Whether this node keeps a mailbox for {@code recipient}. */
    boolean isRecipient(String recipient);

    int recipientCount();

    /** How many envelopes wait for {@code recipient}, and how many bytes they take. */
    long envelopeCount(String recipient);

    long envelopeBytes(String recipient);

    /** How many envelopes wait here for all recipients together. */
    long totalEnvelopes();

    /** The oldest envelopes waiting for {@code recipient}, at most {@code limit}. */
    List<MailboxEnvelope> envelopes(String recipient, int limit);

    /** Whether the digest was seen and its mark has not expired at {@code nowTs}. */
    boolean seen(byte[] digest, long nowTs);

    /** The last mailbox record (signed JSON) stored for {@code serverName}. */
    Optional<String> record(String serverName);

    /** When the record of {@code serverName} was stored, 0 when there is none. */
    long recordFetchedTs(String serverName);

    /** This node's use of every mailbox it fetched from or deposited to, by mailbox name. */
    List<MailboxUsage> usage();

    /**
     * Own side: IDs of envelopes this node processed from {@code mailbox} and has not yet seen
     * deleted there, oldest first, at most {@code limit}. Kept so that a restart asks for their
     * deletion instead of processing them again.
     */
    List<byte[]> pendingDeletions(String mailbox, int limit);

    interface Writer extends Mailboxes {
        /** Keeps a mailbox for {@code recipient}; {@code false} when it already had one. */
        boolean addRecipient(String recipient, long registeredTs);

        /**
         * Stores an envelope for {@code recipient}; {@code false} and nothing stored when an
         * envelope with the same ID is stored.
         */
        boolean deposit(String recipient, byte[] envelopeId, byte[] body, long expiresTs);

        /** Deletes the recipient's envelopes with these IDs; returns how many were deleted. */
        int delete(String recipient, Collection<byte[]> envelopeIds);

        /** Deletes envelopes and replay marks that expire at or before {@code nowTs}; returns how many. */
        int deleteExpired(long nowTs);

        /** Marks a digest seen until {@code expiresTs}; {@code false} when an unexpired mark exists. */
        boolean markSeen(byte[] digest, long expiresTs, long nowTs);

        /** Stores the signed mailbox record of {@code serverName}, replacing the earlier one. */
        void putRecord(String serverName, String recordJson, long fetchedTs);

        /** Records a fetch from {@code mailbox}: success with counts, or failure with a reason. */
        void recordFetch(String mailbox, long ts, int fetched, long waiting, Optional<String> error);

        /** Remembers that the envelope {@code envelopeId} from {@code mailbox} was processed here. */
        void addPendingDeletion(String mailbox, byte[] envelopeId);

        /** Forgets pending deletions the mailbox has carried out; returns how many were pending. */
        int removePendingDeletions(String mailbox, Collection<byte[]> envelopeIds);

        /** Records a deposit to {@code mailbox}: success, or failure with a reason. */
        void recordDeposit(String mailbox, long ts, Optional<String> error);
    }
}
