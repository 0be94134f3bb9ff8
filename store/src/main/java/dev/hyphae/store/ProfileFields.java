package dev.hyphae.store;

import java.util.Map;
import java.util.Optional;

/** The profile fields of local users (displayname, avatar_url, m.tz and custom fields). */
public interface ProfileFields {
    /** The field's value as JSON text. */
    Optional<String> get(String userId, String field);

    /** Every field of the user, field name to JSON text, ordered by field name. */
    Map<String, String> forUser(String userId);

    interface Writer extends ProfileFields {
        /**
         * Sets the field's value (JSON text), replacing any earlier one.
         *
         * @throws StoreException when the user has no account
         */
        void put(String userId, String field, String valueJson);

        /** Removes the field; {@code false} when it was not set. */
        boolean delete(String userId, String field);
    }
}
