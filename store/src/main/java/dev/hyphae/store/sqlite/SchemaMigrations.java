package dev.hyphae.store.sqlite;

import dev.hyphae.store.SchemaTooNewException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The numbered schema migrations and the code that applies them. Each table keeps its DDL as
 * constants; a migration lists the statements of its version. A migration, once released, never
 * changes: later schema changes are new migrations.
 */
final class SchemaMigrations {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    static final String CREATE_SCHEMA_VERSION = """
            CREATE TABLE IF NOT EXISTS schema_version (
                version INTEGER NOT NULL PRIMARY KEY,
                description TEXT NOT NULL,
                applied_ts INTEGER NOT NULL
            )""";
    static final String SELECT_VERSION = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
    static final String INSERT_VERSION = "INSERT INTO schema_version (version, description, applied_ts) VALUES (?, ?, ?)";

    static final List<Migration> ALL = List.of(
            new Migration(1, "rooms, events, state snapshots, forward extremities, accounts, devices, access tokens",
                    List.of(
                            RoomsTable.SCHEMA_V1,
                            EventsTable.SCHEMA_V1,
                            EventsTable.INDEX_ROOM_STREAM_V1,
                            EventsTable.INDEX_ROOM_DEPTH_V1,
                            EventEdgesTable.SCHEMA_V1,
                            EventEdgesTable.INDEX_PREV_V1,
                            EventAuthEdgesTable.SCHEMA_V1,
                            StateGroupsTable.SCHEMA_V1,
                            StateGroupEntriesTable.SCHEMA_V1,
                            EventStateTable.SCHEMA_V1,
                            ForwardExtremitiesTable.SCHEMA_V1,
                            AccountsTable.SCHEMA_V1,
                            DevicesTable.SCHEMA_V1,
                            AccessTokensTable.SCHEMA_V1,
                            AccessTokensTable.INDEX_DEVICE_V1)),
            new Migration(2, "client transactions, current memberships, federation queue and backoff",
                    List.of(
                            ClientTransactionsTable.SCHEMA_V2,
                            MembershipsTable.SCHEMA_V2,
                            MembershipsTable.INDEX_USER_V2,
                            FederationQueueTable.SCHEMA_V2,
                            FederationQueueTable.INDEX_DESTINATION_V2,
                            DestinationBackoffTable.SCHEMA_V2)),
            new Migration(3, "account data, push rules, filters, profile fields",
                    List.of(
                            AccountDataTable.SCHEMA_V3,
                            AccountDataTable.INDEX_USER_STREAM_V3,
                            PushRulesTable.SCHEMA_V3,
                            FiltersTable.SCHEMA_V3,
                            ProfileFieldsTable.SCHEMA_V3)),
            new Migration(4, "end-to-end encryption: device, one-time, fallback and cross-signing keys, key signatures,"
                    + " device list changes, to-device inbox, key backups",
                    List.of(
                            DeviceKeysTable.SCHEMA_V4,
                            OneTimeKeysTable.SCHEMA_V4,
                            OneTimeKeysTable.INDEX_ALGORITHM_V4,
                            FallbackKeysTable.SCHEMA_V4,
                            CrossSigningKeysTable.SCHEMA_V4,
                            KeySignaturesTable.SCHEMA_V4,
                            DeviceListChangesTable.SCHEMA_V4,
                            ToDeviceInboxTable.SCHEMA_V4,
                            ToDeviceInboxTable.INDEX_DEVICE_V4,
                            KeyBackupVersionsTable.SCHEMA_V4,
                            KeyBackupVersionsTable.INDEX_USER_V4,
                            BackedUpRoomKeysTable.SCHEMA_V4)),
            new Migration(5, "media metadata",
                    List.of(
                            MediaTable.SCHEMA_V5,
                            MediaTable.INDEX_UPLOADER_V5,
                            MediaTable.INDEX_SHA256_V5)),
            new Migration(6, "read receipts",
                    List.of(
                            ReceiptsTable.SCHEMA_V6,
                            ReceiptsTable.INDEX_ROOM_USER_V6)),
            new Migration(7, "received federation transactions",
                    List.of(
                            ReceivedTransactionsTable.SCHEMA_V7
)),
            new Migration(8, "libp2p peers and their addresses",
                    List.of(
                            PeersTable.SCHEMA_V8,
                            PeersTable.ADDRESSES_SCHEMA_V8,
                            PeersTable.INDEX_ADDRESS_EXPIRY_V8)),
            new Migration(9, "event relations and redactions",
                    List.of(
                            RelationsTable.SCHEMA_V9,
                            RelationsTable.INDEX_PARENT_V9,
                            RelationsTable.INDEX_ROOM_TYPE_V9,
                            RedactionsTable.SCHEMA_V9,
                            RedactionsTable.INDEX_REDACTED_V9)),
            new Migration(10, "room aliases, published rooms, content reports, forgotten rooms",
                    List.of(
                            RoomAliasesTable.SCHEMA_V10,
                            RoomAliasesTable.INDEX_ROOM_V10,
                            PublishedRoomsTable.SCHEMA_V10,
                            ContentReportsTable.SCHEMA_V10,
                            ForgottenRoomsTable.SCHEMA_V10)),
            new Migration(11, "full-text search of room events, members sent under lazy-loading",
                    List.of(
                            EventSearchTable.SCHEMA_V11,
                            EventSearchTable.ENTRIES_SCHEMA_V11,
                            EventSearchTable.INDEX_ENTRIES_ROOM_V11,
                            EventSearchTable.POSITION_SCHEMA_V11,
                            SentMembersTable.SCHEMA_V11)),
            new Migration(12, "store-and-forward mailboxes: recipients, sealed envelopes, replay marks, records, usage",
                    List.of(
                            MailboxesTable.RECIPIENTS_SCHEMA_V12,
                            MailboxesTable.ENVELOPES_SCHEMA_V12,
                            MailboxesTable.INDEX_ENVELOPES_RECIPIENT_V12,
                            MailboxesTable.INDEX_ENVELOPES_EXPIRY_V12,
                            MailboxesTable.SEEN_SCHEMA_V12,
                            MailboxesTable.RECORDS_SCHEMA_V12,
                            MailboxesTable.USAGE_SCHEMA_V12)),
            new Migration(13, "device lists over federation: stream IDs sent per local user, cached remote lists",
                    List.of(
                            DeviceListStreamIdsTable.SCHEMA_V13,
                            RemoteDeviceListCacheTable.SCHEMA_V13)),
            new Migration(14, "mailbox envelopes processed here whose deletion at the mailbox is pending",
                    List.of(MailboxesTable.PENDING_DELETIONS_SCHEMA_V14)),
            new Migration(15, "unread notification counts per user, room and thread, forgotten on receipts and push rule changes",
                    List.of(
                            NotificationCountsTable.SCHEMA_V15,
                            NotificationCountsTable.INDEX_ROOM_V15,
                            NotificationCountsTable.TRIGGER_RECEIPT_INSERT_V15,
                            NotificationCountsTable.TRIGGER_RECEIPT_UPDATE_V15,
                            NotificationCountsTable.TRIGGER_PUSH_RULE_INSERT_V15,
                            NotificationCountsTable.TRIGGER_PUSH_RULE_UPDATE_V15,
                            NotificationCountsTable.TRIGGER_PUSH_RULE_DELETE_V15)));

    private final List<Migration> migrations;

    SchemaMigrations(List<Migration> migrations) {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalArgumentException("migrations must be numbered 1, 2, 3, ... without gaps");
            }
        }
        this.migrations = List.copyOf(migrations);
    }

    int latestVersion() {
        return migrations.size();
    }

    /**
     * Brings the database to the latest version and returns it.
     *
     * @throws SchemaTooNewException when the database is newer than this code
     */
    int apply(SqliteSession session) throws SQLException {
        session.execute(CREATE_SCHEMA_VERSION);
        if (checkedVersion(session) == latestVersion()) {
            return latestVersion();
        }
        // All pending migrations in one transaction: one commit (one sync of the log) instead of one
        // each, which on a new database was most of the wall-clock time of opening it; a failed
        // migration leaves the schema at the version it had.
        List<Migration> applied;
        session.execute("BEGIN IMMEDIATE");
        try {
            // Another process may have migrated between our check and taking the write lock.
            applied = migrations.subList(checkedVersion(session), migrations.size());
            for (Migration migration : applied) {
                applyOne(session, migration);
            }
            session.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
            session.execute("ROLLBACK");
            throw e;
        }
        for (Migration migration : applied) {
            LOG.info("applied schema migration {}: {}", migration.version(), migration.description());
        }
        return latestVersion();
    }

    private int checkedVersion(SqliteSession session) throws SQLException {
        int current = currentVersion(session);
        if (current > latestVersion()) {
            throw new SchemaTooNewException(current, latestVersion());
        }
        return current;
    }

    private static void applyOne(SqliteSession session, Migration migration) throws SQLException {
        for (String statement : migration.statements()) {
            session.execute(statement);
        }
        PreparedStatement insert = session.prepare(INSERT_VERSION);
        insert.setInt(1, migration.version());
        insert.setString(2, migration.description());
        insert.setLong(3, System.currentTimeMillis());
        insert.executeUpdate();
    }

    private static int currentVersion(SqliteSession session) throws SQLException {
        try (ResultSet rows = session.prepare(SELECT_VERSION).executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
