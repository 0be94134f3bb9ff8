package dev.hyphae.store;

/** Read access to every table, valid only while its unit runs. */
public interface ReadTransaction {
    Rooms rooms();

    Events events();

    StateSnapshots stateSnapshots();

    ForwardExtremities forwardExtremities();

    Accounts accounts();

    Devices devices();

    AccessTokens accessTokens();

    ClientTransactions clientTransactions();

    Memberships memberships();

    FederationQueue federationQueue();

    AccountData accountData();

    PushRules pushRules();

    Filters filters();

    ProfileFields profileFields();

    DeviceKeys deviceKeys();

    OneTimeKeys oneTimeKeys();

    FallbackKeys fallbackKeys();

    CrossSigningKeys crossSigningKeys();

    KeySignatures keySignatures();

    DeviceListChanges deviceListChanges();

    DeviceListStreamIds deviceListStreamIds();

    RemoteDeviceListCache remoteDeviceLists();

    ToDeviceInbox toDeviceInbox();

    KeyBackupVersions keyBackupVersions();

    BackedUpRoomKeys backedUpRoomKeys();

    Media media();

    Receipts receipts();

    ReceivedTransactions receivedTransactions();

    Peers peers();

    Relations relations();

    Redactions redactions();

    RoomAliases roomAliases();

    PublishedRooms publishedRooms();

    ContentReports contentReports();

    ForgottenRooms forgottenRooms();

    NotificationCounts notificationCounts();

    EventSearch eventSearch();

    SentMembers sentMembers();

    Mailboxes mailboxes();
}
