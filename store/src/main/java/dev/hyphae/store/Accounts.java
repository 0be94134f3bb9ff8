package dev.hyphae.store;

import java.util.List;
import java.util.Optional;

/** The accounts table. */
public interface Accounts {
    Optional<Account> get(String userId);

    boolean exists(String userId);

    /** Every account, deactivated ones included, ordered by user ID. */
    List<Account> all();

    interface Writer extends Accounts {
        /** Creates the account; returns {@code false} and changes nothing when the user ID exists. */
        boolean create(Account account);

        /** Sets (or with {@code null} clears) the password hash; {@code false} for an unknown user. */
        boolean setPasswordHash(String userId, String passwordHash);

        /**
         * Marks the account deactivated and clears its password hash; {@code false} for an unknown
         * user. The account row stays so that the user ID is never handed out again.
         */
        boolean deactivate(String userId);

        boolean setAdmin(String userId, boolean admin);
    }
}
