package dev.hyphae.store;

import java.util.Optional;

/** Responses to client requests made with transaction IDs, for idempotent retransmission. */
public interface ClientTransactions {
    Optional<ClientTransaction> get(String userId, String deviceId, String requestPath);

    interface Writer extends ClientTransactions {
        /**
         * Records the response; returns {@code false} and changes nothing when one is recorded
         * for the same device and path. Deleting the device deletes its records.
         */
        boolean record(ClientTransaction transaction);
    }
}
