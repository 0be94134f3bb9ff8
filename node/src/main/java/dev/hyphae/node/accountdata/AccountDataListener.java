package dev.hyphae.node.accountdata;

/** Told after commit that a user's account data changed, for example to wake the user's /sync. */
@FunctionalInterface
public interface AccountDataListener {
    AccountDataListener NONE = (userId, position) -> { };

    void accountDataChanged(String userId, long streamPosition);
}
