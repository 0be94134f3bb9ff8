package dev.hyphae.store.sqlite;

import dev.hyphae.store.ClientTransaction;
import dev.hyphae.store.ClientTransactions;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;

/** The client_transactions table. */
final class ClientTransactionsTable implements ClientTransactions.Writer {
    static final String SCHEMA_V2 = """
            CREATE TABLE client_transactions (
                user_id TEXT NOT NULL,
                device_id TEXT NOT NULL,
                request_path TEXT NOT NULL,
                status_code INTEGER NOT NULL,
                response_json TEXT NOT NULL,
                created_ts INTEGER NOT NULL,
                PRIMARY KEY (user_id, device_id, request_path),
                FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
            ) WITHOUT ROWID""";

    static final String INSERT = "INSERT INTO client_transactions"
            + " (user_id, device_id, request_path, status_code, response_json, created_ts) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING";
    static final String SELECT = "SELECT status_code, response_json, created_ts FROM client_transactions"
            + " WHERE user_id = ? AND device_id = ? AND request_path = ?";

    private final TransactionScope scope;

    ClientTransactionsTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<ClientTransaction> get(String userId, String deviceId, String requestPath) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(requestPath, "requestPath");
        return scope.call("reading client transaction", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            statement.setString(3, requestPath);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next()
                        ? Optional.of(new ClientTransaction(userId, deviceId, requestPath, rows.getInt(1),
                                rows.getString(2), rows.getLong(3)))
                        : Optional.empty();
            }
        });
    }

    @Override
    public boolean record(ClientTransaction transaction) {
        Objects.requireNonNull(transaction, "transaction");
        return scope.call("recording client transaction", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, transaction.userId());
            statement.setString(2, transaction.deviceId());
            statement.setString(3, transaction.requestPath());
            statement.setInt(4, transaction.statusCode());
            statement.setString(5, transaction.responseJson());
            statement.setLong(6, transaction.createdTs());
            return statement.executeUpdate() == 1;
        });
    }
}
