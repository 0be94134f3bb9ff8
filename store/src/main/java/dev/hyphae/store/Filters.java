package dev.hyphae.store;

import java.util.Optional;

/** Filters uploaded by users; a filter never changes once stored. */
public interface Filters {
    Optional<StoredFilter> get(String userId, String filterId);

    interface Writer extends Filters {
        /**
         * Stores the filter under the user's next filter ID (decimal digits, so it never starts with
         * {@code {}) and returns it.
         *
         * @throws StoreException when the user has no account
         */
        StoredFilter insert(String userId, String filterJson);
    }
}
