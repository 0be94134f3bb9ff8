package dev.hyphae.store.sqlite;

import dev.hyphae.store.KeySignature;
import dev.hyphae.store.KeySignatures;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The key_signatures table. */
final class KeySignaturesTable implements KeySignatures.Writer {
    static final String SCHEMA_V4 = """
            CREATE TABLE key_signatures (
                target_user_id TEXT NOT NULL,
                target_key_id TEXT NOT NULL,
                signer_user_id TEXT NOT NULL,
                signer_key_id TEXT NOT NULL,
                signature TEXT NOT NULL,
                PRIMARY KEY (target_user_id, target_key_id, signer_user_id, signer_key_id)
            ) WITHOUT ROWID""";

    static final String UPSERT = "INSERT INTO key_signatures"
            + " (target_user_id, target_key_id, signer_user_id, signer_key_id, signature) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (target_user_id, target_key_id, signer_user_id, signer_key_id)"
            + " DO UPDATE SET signature = excluded.signature";
    static final String SELECT_ON_KEY = "SELECT signer_user_id, signer_key_id, signature FROM key_signatures"
            + " WHERE target_user_id = ? AND target_key_id = ? ORDER BY signer_user_id, signer_key_id";
    static final String DELETE_ON_KEY = "DELETE FROM key_signatures WHERE target_user_id = ? AND target_key_id = ?";

    private final TransactionScope scope;

    KeySignaturesTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public List<KeySignature> onKey(String targetUserId, String targetKeyId) {
        Objects.requireNonNull(targetUserId, "targetUserId");
        Objects.requireNonNull(targetKeyId, "targetKeyId");
        return scope.call("reading key signatures", session -> {
            PreparedStatement statement = session.prepare(SELECT_ON_KEY);
            statement.setString(1, targetUserId);
            statement.setString(2, targetKeyId);
            List<KeySignature> signatures = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    signatures.add(new KeySignature(targetUserId, targetKeyId, rows.getString(1), rows.getString(2),
                            rows.getString(3)));
                }
            }
            return signatures;
        });
    }

    @Override
    public void put(KeySignature signature) {
        Objects.requireNonNull(signature, "signature");
        scope.call("storing key signature", session -> {
            PreparedStatement statement = session.prepare(UPSERT);
            statement.setString(1, signature.targetUserId());
            statement.setString(2, signature.targetKeyId());
            statement.setString(3, signature.signerUserId());
            statement.setString(4, signature.signerKeyId());
            statement.setString(5, signature.signature());
            return statement.executeUpdate();
        });
    }

    @Override
    public int deleteOnKey(String targetUserId, String targetKeyId) {
        Objects.requireNonNull(targetUserId, "targetUserId");
        Objects.requireNonNull(targetKeyId, "targetKeyId");
        return scope.call("deleting key signatures", session -> {
            PreparedStatement statement = session.prepare(DELETE_ON_KEY);
            statement.setString(1, targetUserId);
            statement.setString(2, targetKeyId);
            return statement.executeUpdate();
        });
    }
}
