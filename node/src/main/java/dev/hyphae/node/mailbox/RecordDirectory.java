package dev.hyphae.node.mailbox;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Somewhere to publish this node's mailbox record and to find other nodes' records when they are
 * not reachable to ask: the DHT when libp2p runs ({@link DhtRecordDirectory}), else nowhere.
 */
public interface RecordDirectory {
    /** No directory: records are only learned by asking each server. */
    RecordDirectory NONE = new RecordDirectory() {
        @Override
        public CompletableFuture<Void> publish(MailboxRecord record) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Optional<MailboxRecord>> find(String serverName) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
    };

    CompletableFuture<Void> publish(MailboxRecord record);

    /** The newest record of {@code serverName} found, checked against its key; empty when none. */
    CompletableFuture<Optional<MailboxRecord>> find(String serverName);
}
