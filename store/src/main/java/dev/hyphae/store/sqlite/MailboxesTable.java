package dev.hyphae.store.sqlite;

import dev.hyphae.store.MailboxEnvelope;
import dev.hyphae.store.MailboxUsage;
import dev.hyphae.store.Mailboxes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The mailbox tables. The envelope table has, on purpose, no column that could name a sender: the
 * recipient, the opaque bytes, their digest and an expiry are all a mailbox needs.
 */
final class MailboxesTable implements Mailboxes.Writer {
    static final String RECIPIENTS_SCHEMA_V12 = """
            CREATE TABLE mailbox_recipients (
                recipient TEXT NOT NULL PRIMARY KEY,
                registered_ts INTEGER NOT NULL
            ) WITHOUT ROWID""";
    static final String ENVELOPES_SCHEMA_V12 = """
            CREATE TABLE mailbox_envelopes (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                envelope_id BLOB NOT NULL UNIQUE,
                recipient TEXT NOT NULL,
                body BLOB NOT NULL,
                expires_ts INTEGER NOT NULL
            )""";
    static final String INDEX_ENVELOPES_RECIPIENT_V12 =
            "CREATE INDEX mailbox_envelopes_recipient ON mailbox_envelopes (recipient, seq)";
    static final String INDEX_ENVELOPES_EXPIRY_V12 =
            "CREATE INDEX mailbox_envelopes_expiry ON mailbox_envelopes (expires_ts)";
    static final String SEEN_SCHEMA_V12 = """
            CREATE TABLE mailbox_seen (
                digest BLOB NOT NULL PRIMARY KEY,
                expires_ts INTEGER NOT NULL
            ) WITHOUT ROWID""";
    static final String RECORDS_SCHEMA_V12 = """
            CREATE TABLE mailbox_records (
                server_name TEXT NOT NULL PRIMARY KEY,
                record_json TEXT NOT NULL,
                fetched_ts INTEGER NOT NULL
            ) WITHOUT ROWID""";
    static final String USAGE_SCHEMA_V12 = """
            CREATE TABLE mailbox_usage (
                mailbox TEXT NOT NULL PRIMARY KEY,
                last_fetch_ts INTEGER NOT NULL DEFAULT 0,
                waiting INTEGER NOT NULL DEFAULT 0,
                fetched INTEGER NOT NULL DEFAULT 0,
                deposited INTEGER NOT NULL DEFAULT 0,
                last_deposit_ts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT
            ) WITHOUT ROWID""";
    static final String PENDING_DELETIONS_SCHEMA_V14 = """
            CREATE TABLE mailbox_pending_deletions (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                mailbox TEXT NOT NULL,
                envelope_id BLOB NOT NULL,
                UNIQUE (mailbox, envelope_id)
            )""";

    static final String IS_RECIPIENT = "SELECT 1 FROM mailbox_recipients WHERE recipient = ?";
    static final String COUNT_RECIPIENTS = "SELECT COUNT(*) FROM mailbox_recipients";
    static final String ADD_RECIPIENT = "INSERT INTO mailbox_recipients (recipient, registered_ts) VALUES (?, ?)"
            + " ON CONFLICT DO NOTHING";
    static final String COUNT_ENVELOPES = "SELECT COUNT(*), COALESCE(SUM(LENGTH(body)), 0) FROM mailbox_envelopes"
            + " WHERE recipient = ?";
    static final String COUNT_ALL_ENVELOPES = "SELECT COUNT(*) FROM mailbox_envelopes";
    static final String SELECT_ENVELOPES = "SELECT seq, envelope_id, body, expires_ts FROM mailbox_envelopes"
            + " WHERE recipient = ? ORDER BY seq LIMIT ?";
    static final String INSERT_ENVELOPE = "INSERT INTO mailbox_envelopes (envelope_id, recipient, body, expires_ts)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    static final String DELETE_ENVELOPE = "DELETE FROM mailbox_envelopes WHERE recipient = ? AND envelope_id = ?";
    static final String DELETE_EXPIRED_ENVELOPES = "DELETE FROM mailbox_envelopes WHERE expires_ts <= ?";
    static final String DELETE_EXPIRED_SEEN = "DELETE FROM mailbox_seen WHERE expires_ts <= ?";
    static final String SELECT_SEEN = "SELECT 1 FROM mailbox_seen WHERE digest = ? AND expires_ts > ?";
    static final String UPSERT_SEEN = "INSERT INTO mailbox_seen (digest, expires_ts) VALUES (?, ?)"
            + " ON CONFLICT (digest) DO UPDATE SET expires_ts = excluded.expires_ts";
    static final String SELECT_RECORD = "SELECT record_json, fetched_ts FROM mailbox_records WHERE server_name = ?";
    static final String UPSERT_RECORD = "INSERT INTO mailbox_records (server_name, record_json, fetched_ts)"
            + " VALUES (?, ?, ?) ON CONFLICT (server_name) DO UPDATE SET record_json = excluded.record_json,"
            + " fetched_ts = excluded.fetched_ts";
    static final String SELECT_USAGE = "SELECT mailbox, last_fetch_ts, waiting, fetched, deposited, last_deposit_ts,"
            + " last_error FROM mailbox_usage ORDER BY mailbox";
    static final String ENSURE_USAGE = "INSERT INTO mailbox_usage (mailbox) VALUES (?) ON CONFLICT DO NOTHING";
    static final String FETCH_OK = "UPDATE mailbox_usage SET last_fetch_ts = ?, fetched = fetched + ?, waiting = ?,"
            + " last_error = NULL WHERE mailbox = ?";
    static final String DEPOSIT_OK = "UPDATE mailbox_usage SET last_deposit_ts = ?, deposited = deposited + 1,"
            + " last_error = NULL WHERE mailbox = ?";
    static final String SELECT_PENDING_DELETIONS = "SELECT envelope_id FROM mailbox_pending_deletions"
            + " WHERE mailbox = ? ORDER BY seq LIMIT ?";
    static final String INSERT_PENDING_DELETION = "INSERT INTO mailbox_pending_deletions (mailbox, envelope_id)"
            + " VALUES (?, ?) ON CONFLICT DO NOTHING";
    static final String DELETE_PENDING_DELETION = "DELETE FROM mailbox_pending_deletions"
            + " WHERE mailbox = ? AND envelope_id = ?";
    static final String FAILED = "UPDATE mailbox_usage SET last_error = ? WHERE mailbox = ?";

    private final TransactionScope scope;

    MailboxesTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public boolean isRecipient(String recipient) {
        Objects.requireNonNull(recipient, "recipient");
        return scope.call("reading mailbox recipient", session -> {
            PreparedStatement statement = session.prepare(IS_RECIPIENT);
            statement.setString(1, recipient);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        });
    }

    @Override
    public int recipientCount() {
        return scope.call("counting mailbox recipients", session -> {
            try (ResultSet rows = session.prepare(COUNT_RECIPIENTS).executeQuery()) {
                return rows.next() ? rows.getInt(1) : 0;
            }
        });
    }

    @Override
    public long envelopeCount(String recipient) {
        return countAndBytes(recipient)[0];
    }

    @Override
    public long envelopeBytes(String recipient) {
        return countAndBytes(recipient)[1];
    }

    private long[] countAndBytes(String recipient) {
        Objects.requireNonNull(recipient, "recipient");
        return scope.call("counting mailbox envelopes", session -> {
            PreparedStatement statement = session.prepare(COUNT_ENVELOPES);
            statement.setString(1, recipient);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? new long[] {rows.getLong(1), rows.getLong(2)} : new long[2];
            }
        });
    }

    @Override
    public long totalEnvelopes() {
        return scope.call("counting mailbox envelopes", session -> {
            try (ResultSet rows = session.prepare(COUNT_ALL_ENVELOPES).executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        });
    }

    @Override
    public List<MailboxEnvelope> envelopes(String recipient, int limit) {
        Objects.requireNonNull(recipient, "recipient");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return scope.call("reading mailbox envelopes", session -> {
            PreparedStatement statement = session.prepare(SELECT_ENVELOPES);
            statement.setString(1, recipient);
            statement.setInt(2, limit);
            List<MailboxEnvelope> envelopes = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    envelopes.add(new MailboxEnvelope(rows.getLong(1), rows.getBytes(2), rows.getBytes(3),
                            rows.getLong(4)));
                }
            }
            return envelopes;
        });
    }

    @Override
    public boolean seen(byte[] digest, long nowTs) {
        Objects.requireNonNull(digest, "digest");
        return scope.call("reading replay mark", session -> {
            PreparedStatement statement = session.prepare(SELECT_SEEN);
            statement.setBytes(1, digest);
            statement.setLong(2, nowTs);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        });
    }

    @Override
    public Optional<String> record(String serverName) {
        Objects.requireNonNull(serverName, "serverName");
        return scope.call("reading mailbox record", session -> {
            PreparedStatement statement = session.prepare(SELECT_RECORD);
            statement.setString(1, serverName);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public long recordFetchedTs(String serverName) {
        Objects.requireNonNull(serverName, "serverName");
        return scope.call("reading mailbox record", session -> {
            PreparedStatement statement = session.prepare(SELECT_RECORD);
            statement.setString(1, serverName);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(2) : 0L;
            }
        });
    }

    @Override
    public List<MailboxUsage> usage() {
        return scope.call("reading mailbox usage", session -> {
            List<MailboxUsage> usage = new ArrayList<>();
            try (ResultSet rows = session.prepare(SELECT_USAGE).executeQuery()) {
                while (rows.next()) {
                    usage.add(new MailboxUsage(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
                            rows.getLong(5), rows.getLong(6), Optional.ofNullable(rows.getString(7))));
                }
            }
            return usage;
        });
    }

    @Override
    public boolean addRecipient(String recipient, long registeredTs) {
        Objects.requireNonNull(recipient, "recipient");
        return scope.call("adding mailbox recipient", session -> {
            PreparedStatement statement = session.prepare(ADD_RECIPIENT);
            statement.setString(1, recipient);
            statement.setLong(2, registeredTs);
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public boolean deposit(String recipient, byte[] envelopeId, byte[] body, long expiresTs) {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(envelopeId, "envelopeId");
        Objects.requireNonNull(body, "body");
        return scope.call("storing mailbox envelope", session -> {
            PreparedStatement statement = session.prepare(INSERT_ENVELOPE);
            statement.setBytes(1, envelopeId);
            statement.setString(2, recipient);
            statement.setBytes(3, body);
            statement.setLong(4, expiresTs);
            return statement.executeUpdate() == 1;
        });
    }

    @Override
    public int delete(String recipient, Collection<byte[]> envelopeIds) {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(envelopeIds, "envelopeIds");
        return scope.call("deleting mailbox envelopes", session -> {
            PreparedStatement statement = session.prepare(DELETE_ENVELOPE);
            int deleted = 0;
            for (byte[] id : envelopeIds) {
                statement.setString(1, recipient);
                statement.setBytes(2, Objects.requireNonNull(id, "envelope ID"));
                deleted += statement.executeUpdate();
            }
            return deleted;
        });
    }

    @Override
    public List<byte[]> pendingDeletions(String mailbox, int limit) {
        Objects.requireNonNull(mailbox, "mailbox");
        return scope.call("reading pending mailbox deletions", session -> {
            PreparedStatement statement = session.prepare(SELECT_PENDING_DELETIONS);
            statement.setString(1, mailbox);
            statement.setInt(2, limit);
            List<byte[]> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getBytes(1));
                }
            }
            return ids;
        });
    }

    @Override
    public void addPendingDeletion(String mailbox, byte[] envelopeId) {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(envelopeId, "envelopeId");
        scope.call("recording a pending mailbox deletion", session -> {
            PreparedStatement statement = session.prepare(INSERT_PENDING_DELETION);
            statement.setString(1, mailbox);
            statement.setBytes(2, envelopeId);
            return statement.executeUpdate();
        });
    }

    @Override
    public int removePendingDeletions(String mailbox, Collection<byte[]> envelopeIds) {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(envelopeIds, "envelopeIds");
        return scope.call("forgetting pending mailbox deletions", session -> {
            PreparedStatement statement = session.prepare(DELETE_PENDING_DELETION);
            int removed = 0;
            for (byte[] id : envelopeIds) {
                statement.setString(1, mailbox);
                statement.setBytes(2, Objects.requireNonNull(id, "envelope ID"));
                removed += statement.executeUpdate();
            }
            return removed;
        });
    }

    @Override
    public int deleteExpired(long nowTs) {
        return scope.call("deleting expired mailbox entries", session -> {
            PreparedStatement envelopes = session.prepare(DELETE_EXPIRED_ENVELOPES);
            envelopes.setLong(1, nowTs);
            int deleted = envelopes.executeUpdate();
            PreparedStatement seen = session.prepare(DELETE_EXPIRED_SEEN);
            seen.setLong(1, nowTs);
            return deleted + seen.executeUpdate();
        });
    }

    @Override
    public boolean markSeen(byte[] digest, long expiresTs, long nowTs) {
        if (seen(digest, nowTs)) {
            return false;
        }
        return scope.call("marking replay digest", session -> {
            PreparedStatement statement = session.prepare(UPSERT_SEEN);
            statement.setBytes(1, digest);
            statement.setLong(2, expiresTs);
            statement.executeUpdate();
            return true;
        });
    }

    @Override
    public void putRecord(String serverName, String recordJson, long fetchedTs) {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(recordJson, "recordJson");
        scope.call("storing mailbox record", session -> {
            PreparedStatement statement = session.prepare(UPSERT_RECORD);
            statement.setString(1, serverName);
            statement.setString(2, recordJson);
            statement.setLong(3, fetchedTs);
            return statement.executeUpdate();
        });
    }

    @Override
    public void recordFetch(String mailbox, long ts, int fetched, long waiting, Optional<String> error) {
        Objects.requireNonNull(error, "error");
        ensureUsage(mailbox);
        scope.call("recording mailbox fetch", session -> {
            if (error.isPresent()) {
                return failed(session, mailbox, error.get());
            }
            PreparedStatement statement = session.prepare(FETCH_OK);
            statement.setLong(1, ts);
            statement.setInt(2, fetched);
            statement.setLong(3, waiting);
            statement.setString(4, mailbox);
            return statement.executeUpdate();
        });
    }

    @Override
    public void recordDeposit(String mailbox, long ts, Optional<String> error) {
        Objects.requireNonNull(error, "error");
        ensureUsage(mailbox);
        scope.call("recording mailbox deposit", session -> {
            if (error.isPresent()) {
                return failed(session, mailbox, error.get());
            }
            PreparedStatement statement = session.prepare(DEPOSIT_OK);
            statement.setLong(1, ts);
            statement.setString(2, mailbox);
            return statement.executeUpdate();
        });
    }

    private void ensureUsage(String mailbox) {
        Objects.requireNonNull(mailbox, "mailbox");
        scope.call("recording mailbox usage", session -> {
            PreparedStatement statement = session.prepare(ENSURE_USAGE);
            statement.setString(1, mailbox);
            return statement.executeUpdate();
        });
    }

    private static int failed(SqliteSession session, String mailbox, String error) throws java.sql.SQLException {
        PreparedStatement statement = session.prepare(FAILED);
        statement.setString(1, error);
        statement.setString(2, mailbox);
        return statement.executeUpdate();
    }
}
