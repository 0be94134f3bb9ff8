package dev.hyphae.store;

import java.util.Optional;

/**
 * Federation transactions ({@code PUT /send/{txnId}}) this node has processed, by origin server and
 * transaction ID, with the answer given: a retransmission gets the same answer and is not processed
 * again.
 */
public interface ReceivedTransactions {
    /** The JSON answer recorded for the origin's transaction, if it was processed. */
    Optional<String> response(String origin, String txnId);

    interface Writer extends ReceivedTransactions {
        /**
         * Records the answer to a processed transaction; returns {@code false} and changes nothing
         * when one is recorded for the same origin and transaction ID.
         */
        boolean record(String origin, String txnId, String responseJson, long receivedTs);
    }
}
