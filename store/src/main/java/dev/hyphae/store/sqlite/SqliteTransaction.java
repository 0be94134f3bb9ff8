package dev.hyphae.store.sqlite;

import dev.hyphae.store.AccessTokens;
import dev.hyphae.store.AccountData;
import dev.hyphae.store.DeviceKeys;
import dev.hyphae.store.OneTimeKeys;
import dev.hyphae.store.FallbackKeys;
import dev.hyphae.store.CrossSigningKeys;
import dev.hyphae.store.KeySignatures;
import dev.hyphae.store.DeviceListChanges;
import dev.hyphae.store.DeviceListStreamIds;
import dev.hyphae.store.RemoteDeviceListCache;
import dev.hyphae.store.ToDeviceInbox;
import dev.hyphae.store.KeyBackupVersions;
import dev.hyphae.store.BackedUpRoomKeys;
import dev.hyphae.store.Accounts;
import dev.hyphae.store.ClientTransactions;
import dev.hyphae.store.Devices;
import dev.hyphae.store.EventSearch;
import dev.hyphae.store.Events;
import dev.hyphae.store.Filters;
import dev.hyphae.store.FederationQueue;
import dev.hyphae.store.ForwardExtremities;
import dev.hyphae.store.Mailboxes;
import dev.hyphae.store.Media;
import dev.hyphae.store.Memberships;
import dev.hyphae.store.Peers;
import dev.hyphae.store.ContentReports;
import dev.hyphae.store.ForgottenRooms;
import dev.hyphae.store.NotificationCounts;
import dev.hyphae.store.PublishedRooms;
import dev.hyphae.store.RoomAliases;
import dev.hyphae.store.ProfileFields;
import dev.hyphae.store.Receipts;
import dev.hyphae.store.Redactions;
import dev.hyphae.store.Relations;
import dev.hyphae.store.PushRules;
import dev.hyphae.store.ReceivedTransactions;
import dev.hyphae.store.SentMembers;
import dev.hyphae.store.Rooms;
import dev.hyphae.store.StateSnapshots;
import dev.hyphae.store.WriteTransaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The handle a unit of work gets. Read units get it on a read-only connection, where every write
 * is refused by SQLite itself.
 */
final class SqliteTransaction implements WriteTransaction {
    private final TransactionScope scope;
    private final List<Runnable> afterCommit = new ArrayList<>();
    private RoomsTable rooms;
    private EventsTable events;
    private SqliteStateSnapshots stateSnapshots;
    private ForwardExtremitiesTable forwardExtremities;
    private AccountsTable accounts;
    private DevicesTable devices;
    private AccessTokensTable accessTokens;
    private ClientTransactionsTable clientTransactions;
    private MembershipsTable memberships;
    private FederationQueueTable federationQueue;
    private AccountDataTable accountData;
    private PushRulesTable pushRules;
    private FiltersTable filters;
    private ProfileFieldsTable profileFields;
    private DeviceKeysTable deviceKeys;
    private OneTimeKeysTable oneTimeKeys;
    private FallbackKeysTable fallbackKeys;
    private CrossSigningKeysTable crossSigningKeys;
    private KeySignaturesTable keySignatures;
    private DeviceListChangesTable deviceListChanges;
    private DeviceListStreamIdsTable deviceListStreamIds;
    private RemoteDeviceListCacheTable remoteDeviceLists;
    private ToDeviceInboxTable toDeviceInbox;
    private KeyBackupVersionsTable keyBackupVersions;
    private BackedUpRoomKeysTable backedUpRoomKeys;
    private MediaTable media;
    private ReceiptsTable receipts;
    private RelationsTable relations;
    private RedactionsTable redactions;
    private ReceivedTransactionsTable receivedTransactions;
    private PeersTable peers;
    private RoomAliasesTable roomAliases;
    private PublishedRoomsTable publishedRooms;
    private ContentReportsTable contentReports;
    private ForgottenRoomsTable forgottenRooms;
    private NotificationCountsTable notificationCounts;
    private EventSearchTable eventSearch;
    private SentMembersTable sentMembers;
    private MailboxesTable mailboxes;

    private final boolean writable;

    private SqliteTransaction(SqliteSession session, boolean writable) {
        this.scope = new TransactionScope(session);
        this.writable = writable;
    }

    /** A handle for a write unit on the write connection. */
    static SqliteTransaction forWrite(SqliteSession session) {
        return new SqliteTransaction(session, true);
    }

    /** A handle for a read unit on a read-only connection. */
    static SqliteTransaction forRead(SqliteSession session) {
        return new SqliteTransaction(session, false);
    }

    @Override
    public Rooms.Writer rooms() {
        return rooms == null ? rooms = new RoomsTable(scope) : rooms;
    }

    @Override
    public Events.Writer events() {
        return events == null ? events = new EventsTable(scope) : events;
    }

    @Override
    public StateSnapshots.Writer stateSnapshots() {
        return stateSnapshots == null ? stateSnapshots = new SqliteStateSnapshots(scope) : stateSnapshots;
    }

    @Override
    public ForwardExtremities.Writer forwardExtremities() {
        return forwardExtremities == null ? forwardExtremities = new ForwardExtremitiesTable(scope) : forwardExtremities;
    }

    @Override
    public Accounts.Writer accounts() {
        return accounts == null ? accounts = new AccountsTable(scope) : accounts;
    }

    @Override
    public Devices.Writer devices() {
        return devices == null ? devices = new DevicesTable(scope) : devices;
    }

    @Override
    public AccessTokens.Writer accessTokens() {
        return accessTokens == null ? accessTokens = new AccessTokensTable(scope) : accessTokens;
    }

    @Override
    public ClientTransactions.Writer clientTransactions() {
        return clientTransactions == null ? clientTransactions = new ClientTransactionsTable(scope) : clientTransactions;
    }

    @Override
    public Memberships.Writer memberships() {
        return memberships == null ? memberships = new MembershipsTable(scope) : memberships;
    }

    @Override
    public FederationQueue.Writer federationQueue() {
        return federationQueue == null ? federationQueue = new FederationQueueTable(scope) : federationQueue;
    }

    @Override
    public AccountData.Writer accountData() {
        return accountData == null ? accountData = new AccountDataTable(scope) : accountData;
    }

    @Override
    public PushRules.Writer pushRules() {
        return pushRules == null ? pushRules = new PushRulesTable(scope) : pushRules;
    }

    @Override
    public Filters.Writer filters() {
        return filters == null ? filters = new FiltersTable(scope) : filters;
    }

    @Override
    public ProfileFields.Writer profileFields() {
        return profileFields == null ? profileFields = new ProfileFieldsTable(scope) : profileFields;
    }

    @Override
    public DeviceKeys.Writer deviceKeys() {
        return deviceKeys == null ? deviceKeys = new DeviceKeysTable(scope) : deviceKeys;
    }

    @Override
    public OneTimeKeys.Writer oneTimeKeys() {
        return oneTimeKeys == null ? oneTimeKeys = new OneTimeKeysTable(scope) : oneTimeKeys;
    }

    @Override
    public FallbackKeys.Writer fallbackKeys() {
        return fallbackKeys == null ? fallbackKeys = new FallbackKeysTable(scope) : fallbackKeys;
    }

    @Override
    public CrossSigningKeys.Writer crossSigningKeys() {
        return crossSigningKeys == null ? crossSigningKeys = new CrossSigningKeysTable(scope) : crossSigningKeys;
    }

    @Override
    public KeySignatures.Writer keySignatures() {
        return keySignatures == null ? keySignatures = new KeySignaturesTable(scope) : keySignatures;
    }

    @Override
    public DeviceListChanges.Writer deviceListChanges() {
        return deviceListChanges == null ? deviceListChanges = new DeviceListChangesTable(scope) : deviceListChanges;
    }

    @Override
    public DeviceListStreamIds.Writer deviceListStreamIds() {
        return deviceListStreamIds == null ? deviceListStreamIds = new DeviceListStreamIdsTable(scope) : deviceListStreamIds;
    }

    @Override
    public RemoteDeviceListCache.Writer remoteDeviceLists() {
        return remoteDeviceLists == null ? remoteDeviceLists = new RemoteDeviceListCacheTable(scope) : remoteDeviceLists;
    }

    @Override
    public ToDeviceInbox.Writer toDeviceInbox() {
        return toDeviceInbox == null ? toDeviceInbox = new ToDeviceInboxTable(scope) : toDeviceInbox;
    }

    @Override
    public KeyBackupVersions.Writer keyBackupVersions() {
        return keyBackupVersions == null ? keyBackupVersions = new KeyBackupVersionsTable(scope, (BackedUpRoomKeysTable) backedUpRoomKeys()) : keyBackupVersions;
    }

    @Override
    public BackedUpRoomKeys.Writer backedUpRoomKeys() {
        return backedUpRoomKeys == null ? backedUpRoomKeys = new BackedUpRoomKeysTable(scope) : backedUpRoomKeys;
    }

    @Override
    public Media.Writer media() {
        return media == null ? media = new MediaTable(scope) : media;
    }

    @Override
    public Receipts.Writer receipts() {
        return receipts == null ? receipts = new ReceiptsTable(scope) : receipts;
    }

    @Override
    public Relations.Writer relations() {
        return relations == null ? relations = new RelationsTable(scope) : relations;
    }

    @Override
    public Redactions.Writer redactions() {
        return redactions == null ? redactions = new RedactionsTable(scope) : redactions;
    }

    @Override
    public Peers.Writer peers() {
        return peers == null ? peers = new PeersTable(scope) : peers;
    }

    @Override
    public RoomAliases.Writer roomAliases() {
        return roomAliases == null ? roomAliases = new RoomAliasesTable(scope) : roomAliases;
    }

    @Override
    public PublishedRooms.Writer publishedRooms() {
        return publishedRooms == null ? publishedRooms = new PublishedRoomsTable(scope) : publishedRooms;
    }

    @Override
    public ContentReports.Writer contentReports() {
        return contentReports == null ? contentReports = new ContentReportsTable(scope) : contentReports;
    }

    @Override
    public ForgottenRooms.Writer forgottenRooms() {
        return forgottenRooms == null ? forgottenRooms = new ForgottenRoomsTable(scope) : forgottenRooms;
    }

    @Override
    public NotificationCounts.Writer notificationCounts() {
        return notificationCounts == null ? notificationCounts = new NotificationCountsTable(scope) : notificationCounts;
    }

    @Override
    public EventSearch.Writer eventSearch() {
        return eventSearch == null ? eventSearch = new EventSearchTable(scope) : eventSearch;
    }

    @Override
    public SentMembers.Writer sentMembers() {
        return sentMembers == null ? sentMembers = new SentMembersTable(scope) : sentMembers;
    }

    @Override
    public void afterCommit(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (!writable) {
            throw new IllegalStateException("a read unit commits nothing; after-commit actions belong to write units");
        }
        afterCommit.add(action);
    }

    List<Runnable> afterCommitActions() {
        return afterCommit;
    }

    /** Makes the handle unusable: the unit it was given to has returned. */
    void end() {
        scope.end();
    }

    @Override
    public ReceivedTransactions.Writer receivedTransactions() {
        return receivedTransactions == null
                ? receivedTransactions = new ReceivedTransactionsTable(scope)
                : receivedTransactions;
    }

    @Override
    public Mailboxes.Writer mailboxes() {
        return mailboxes == null ? mailboxes = new MailboxesTable(scope) : mailboxes;
    }
}
