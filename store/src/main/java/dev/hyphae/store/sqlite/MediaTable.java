package dev.hyphae.store.sqlite;

import dev.hyphae.store.Media;
import dev.hyphae.store.StoredMedia;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Objects;
import java.util.Optional;

/** The media table: one row per local media ID, uploaded or pending. */
final class MediaTable implements Media.Writer {
    static final String SCHEMA_V5 = """
            CREATE TABLE media (
                media_id TEXT NOT NULL PRIMARY KEY,
                uploader TEXT NOT NULL REFERENCES accounts (user_id),
                content_type TEXT,
                file_name TEXT,
                size INTEGER NOT NULL,
                sha256 TEXT,
                created_ts INTEGER NOT NULL,
                unused_expires_ts INTEGER
            ) WITHOUT ROWID""";
    static final String INDEX_UPLOADER_V5 = "CREATE INDEX media_uploader ON media (uploader)";
    static final String INDEX_SHA256_V5 = "CREATE INDEX media_sha256 ON media (sha256)";

    static final String COLUMNS = "media_id, uploader, content_type, file_name, size, sha256, created_ts, unused_expires_ts";
    static final String SELECT = "SELECT " + COLUMNS + " FROM media WHERE media_id = ?";
    static final String SELECT_TOTAL = "SELECT COALESCE(SUM(size), 0) FROM media WHERE uploader = ?";
    static final String SELECT_PENDING = "SELECT COUNT(*) FROM media WHERE uploader = ? AND sha256 IS NULL"
            + " AND unused_expires_ts > ?";
    static final String SELECT_HASH = "SELECT 1 FROM media WHERE sha256 = ? LIMIT 1";
    static final String INSERT = "INSERT INTO media (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    static final String COMPLETE = "UPDATE media SET content_type = ?, file_name = ?, size = ?, sha256 = ?,"
            + " unused_expires_ts = NULL WHERE media_id = ? AND sha256 IS NULL";

    private final TransactionScope scope;

    MediaTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public Optional<StoredMedia> get(String mediaId) {
        Objects.requireNonNull(mediaId, "mediaId");
        return scope.call("reading media", session -> {
            PreparedStatement statement = session.prepare(SELECT);
            statement.setString(1, mediaId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(media(rows)) : Optional.empty();
            }
        });
    }

    @Override
    public long totalSizeOf(String uploader) {
        Objects.requireNonNull(uploader, "uploader");
        return scope.call("summing media sizes", session -> {
            PreparedStatement statement = session.prepare(SELECT_TOTAL);
            statement.setString(1, uploader);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Override
    public int pendingCountOf(String uploader, long nowTs) {
        Objects.requireNonNull(uploader, "uploader");
        return scope.call("counting pending media", session -> {
            PreparedStatement statement = session.prepare(SELECT_PENDING);
            statement.setString(1, uploader);
            statement.setLong(2, nowTs);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        });
    }

    @Override
    public boolean hasContent(String sha256) {
        Objects.requireNonNull(sha256, "sha256");
        return scope.call("looking up media content", session -> {
            PreparedStatement statement = session.prepare(SELECT_HASH);
            statement.setString(1, sha256);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        });
    }

    @Override
    public void insert(StoredMedia media) {
        Objects.requireNonNull(media, "media");
        scope.call("storing media", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, media.mediaId());
            statement.setString(2, media.uploader());
            statement.setString(3, media.contentType());
            statement.setString(4, media.fileName());
            statement.setLong(5, media.size());
            statement.setString(6, media.sha256());
            statement.setLong(7, media.createdTs());
            if (media.unusedExpiresTs() == null) {
                statement.setNull(8, Types.INTEGER);
            } else {
                statement.setLong(8, media.unusedExpiresTs());
            }
            statement.executeUpdate();
            return null;
        });
    }

    @Override
    public boolean complete(String mediaId, String contentType, String fileName, long size, String sha256) {
        Objects.requireNonNull(mediaId, "mediaId");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(sha256, "sha256");
        // Validates the values the same way a new row would be.
        StoredMedia.uploaded(mediaId, "-", contentType, fileName, size, sha256, 0);
        return scope.call("completing media", session -> {
            PreparedStatement statement = session.prepare(COMPLETE);
            statement.setString(1, contentType);
            statement.setString(2, fileName);
            statement.setLong(3, size);
            statement.setString(4, sha256);
            statement.setString(5, mediaId);
            return statement.executeUpdate() == 1;
        });
    }

    private static StoredMedia media(ResultSet rows) throws SQLException {
        long expires = rows.getLong(8);
        Long unusedExpiresTs = rows.wasNull() ? null : expires;
        return new StoredMedia(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                rows.getLong(5), rows.getString(6), rows.getLong(7), unusedExpiresTs);
    }
}
