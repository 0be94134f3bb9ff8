package dev.hyphae.store;

import java.util.List;
import java.util.Optional;

/** Users' push rules and their changes to the server-default rules. */
public interface PushRules {
    Optional<StoredPushRule> get(String userId, String kind, String ruleId);

    /** Every stored rule of the user, ordered by kind, then position, then rule ID. */
    List<StoredPushRule> forUser(String userId);

    interface Writer extends PushRules {
        /**
         * Stores the rule, replacing one with the same user, kind and rule ID.
         *
         * @throws StoreException when the user has no account
         */
        void put(StoredPushRule rule);

        /** Deletes the rule; {@code false} when there was none. */
        boolean delete(String userId, String kind, String ruleId);
    }
}
