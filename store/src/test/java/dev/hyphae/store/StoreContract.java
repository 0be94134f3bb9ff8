package dev.hyphae.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every {@link Store} backend must do. A backend's test extends this class and says how to
 * open its database and how to look at it from outside the store; the tests themselves are in the
 * contract interfaces this class implements.
 */
public abstract class StoreContract implements TransactionsContract, EventsContract, StateSnapshotsContract,
        AccountsContract, MembershipsAndFederationQueueContract, UserDataContract, EndToEndEncryptionContract,
        MediaContract, ReceiptsContract, PeersContract, RelationsContract, DirectoryContract, EventSearchContract,
        MailboxesContract, DeviceListsOverFederationContract, NotificationCountsContract {

    protected Store store;

    @BeforeEach
    void openTheStore() {
        store = openStore();
    }

    @AfterEach
    void closeTheStore() {
        closeStore();
    }

    @Override
    public Store store() {
        return store;
    }

    @Override
    public void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    public void reopenStore() {
        closeStore();
        store = openStore();
    }
}
