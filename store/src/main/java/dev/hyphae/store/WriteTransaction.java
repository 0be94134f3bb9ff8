package dev.hyphae.store;

/**
 * Read and write access to every table inside one write unit. Reads see the unit's own writes.
 */
public interface WriteTransaction extends ReadTransaction {
    @Override
    Rooms.Writer rooms();

    @Override
    Events.Writer events();

    @Override
    StateSnapshots.Writer stateSnapshots();

    @Override
    ForwardExtremities.Writer forwardExtremities();

    @Override
    Accounts.Writer accounts();

    @Override
    Devices.Writer devices();

    @Override
    AccessTokens.Writer accessTokens();

    @Override
    ClientTransactions.Writer clientTransactions();

    @Override
    Memberships.Writer memberships();

    @Override
    FederationQueue.Writer federationQueue();

    @Override
    AccountData.Writer accountData();

    @Override
    PushRules.Writer pushRules();

    @Override
    Filters.Writer filters();

    @Override
    ProfileFields.Writer profileFields();

    @Override
    DeviceKeys.Writer deviceKeys();

    @Override
    OneTimeKeys.Writer oneTimeKeys();

    @Override
    FallbackKeys.Writer fallbackKeys();

    @Override
    CrossSigningKeys.Writer crossSigningKeys();

    @Override
    KeySignatures.Writer keySignatures();

    @Override
    DeviceListChanges.Writer deviceListChanges();

    @Override
    DeviceListStreamIds.Writer deviceListStreamIds();

    @Override
    RemoteDeviceListCache.Writer remoteDeviceLists();

    @Override
    ToDeviceInbox.Writer toDeviceInbox();

    @Override
    KeyBackupVersions.Writer keyBackupVersions();

    @Override
    BackedUpRoomKeys.Writer backedUpRoomKeys();

    @Override
    Media.Writer media();

    @Override
    Receipts.Writer receipts();

    @Override
    ReceivedTransactions.Writer receivedTransactions();

    @Override
    Peers.Writer peers();

    @Override
    Relations.Writer relations();

    @Override
    Redactions.Writer redactions();

    @Override
    RoomAliases.Writer roomAliases();

    @Override
    PublishedRooms.Writer publishedRooms();

    @Override
    ContentReports.Writer contentReports();

    @Override
    ForgottenRooms.Writer forgottenRooms();

    @Override
    NotificationCounts.Writer notificationCounts();

    @Override
    EventSearch.Writer eventSearch();

    @Override
    SentMembers.Writer sentMembers();

    @Override
    Mailboxes.Writer mailboxes();

    /**
     * Runs {@code action} after the transaction holding this unit has committed, before the unit's
     * future completes (for example to wake waiting /sync requests). It never runs when the unit or
     * the commit failed. Actions run in commit order on the store's notification thread; an action
     * that throws is logged and does not affect the others.
     */
    void afterCommit(Runnable action);
}
