package dev.hyphae.store.sqlite;

import dev.hyphae.store.ContentReport;
import dev.hyphae.store.ContentReports;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The content_reports table: what local users reported, for the node's owner. */
final class ContentReportsTable implements ContentReports.Writer {
    static final String SCHEMA_V10 = """
            CREATE TABLE content_reports (
                report_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                reporter TEXT NOT NULL,
                room_id TEXT,
                event_id TEXT,
                user_id TEXT,
                reason TEXT NOT NULL,
                received_ts INTEGER NOT NULL
            )""";

    static final String INSERT = "INSERT INTO content_reports (reporter, room_id, event_id, user_id, reason,"
            + " received_ts) VALUES (?, ?, ?, ?, ?, ?)";
    static final String SELECT_ALL = "SELECT report_id, reporter, room_id, event_id, user_id, reason, received_ts"
            + " FROM content_reports ORDER BY report_id";

    private final TransactionScope scope;

    ContentReportsTable(TransactionScope scope) {
        this.scope = scope;
    }

    @Override
    public List<ContentReport> all() {
        return scope.call("reading content reports", session -> {
            List<ContentReport> reports = new ArrayList<>();
            try (ResultSet rows = session.prepare(SELECT_ALL).executeQuery()) {
                while (rows.next()) {
                    reports.add(new ContentReport(rows.getLong(1), rows.getString(2),
                            Optional.ofNullable(rows.getString(3)), Optional.ofNullable(rows.getString(4)),
                            Optional.ofNullable(rows.getString(5)), rows.getString(6), rows.getLong(7)));
                }
            }
            return reports;
        });
    }

    @Override
    public long insert(ContentReport report) {
        Objects.requireNonNull(report, "report");
        return scope.call("storing content report", session -> {
            PreparedStatement statement = session.prepare(INSERT);
            statement.setString(1, report.reporter());
            TransactionScope.setNullableString(statement, 2, report.roomId().orElse(null));
            TransactionScope.setNullableString(statement, 3, report.eventId().orElse(null));
            TransactionScope.setNullableString(statement, 4, report.userId().orElse(null));
            statement.setString(5, report.reason());
            statement.setLong(6, report.receivedTs());
            statement.executeUpdate();
            return LastInsertRowId.of(session);
        });
    }
}
