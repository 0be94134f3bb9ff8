package dev.hyphae.store.sqlite;

import dev.hyphae.store.ReceivedTransactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;

/** The received_transactions table. */
final class ReceivedTransactionsTable implements ReceivedTransactions.Writer {
    static final String SCHEMA_V7 = """
            CREATE TABLE received_transactions (
                origin TEXT NOT NULL,
                txn_id TEXT NOT NULL,
                response_json TEXT NOT NULL,
                received_ts INTEGER NOT NULL,
                PRIMARY KEY (origin, txn_id)
            ) WITHOUT ROWID""";

    static final String INSERT = "INSERT INTO received_transactions (origin, txn_id, response_json, received_ts)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    static final String SELECT = "SELECT response_json FROM received_transactions WHERE origin = ? AND txn_id = ?";

    private final TransactionScope scope;

    ReceivedTransactionsTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<String> response(String origin, String txnId) {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(txnId, "txnId");
        return scope.call("reading received transaction", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, origin);
            statement.setString(2, txnId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public boolean record(String origin, String txnId, String responseJson, long receivedTs) {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(txnId, "txnId");
        Objects.requireNonNull(responseJson, "responseJson");
        return scope.call("recording received transaction", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, origin);
            statement.setString(2, txnId);
            statement.setString(3, responseJson);
            statement.setLong(4, receivedTs);
            return statement.executeUpdate() == 1;
        });
    }
}
