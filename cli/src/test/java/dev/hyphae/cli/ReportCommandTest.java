package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.store.ContentReport;
import dev.hyphae.store.sqlite.SqliteStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    Path dataDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int hyphae(String... args) {
        return Hyphae.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static void report(SqliteStore store, ContentReport report) {
        store.write(tx -> tx.contentReports().insert(report)).join();
    }

    @Test
    void listShowsEveryReportOldestFirstWhileTheNodeHoldsItsStoreOpen() throws Exception {
        // The store stays open, as a running node holds it.
        try (SqliteStore store = SqliteStore.openInDirectory(dataDir)) {
            report(store, ContentReport.ofEvent("@alice:node.example", "!room:node.example", "$event", "spam", 1_000));
            report(store, ContentReport.ofRoom("@bob:node.example", "!room:node.example", "", 2_000));
            report(store, ContentReport.ofUser("@alice:node.example", "@troll:other.example", "abuse", 3_000));

            assertEquals(0, hyphae("report", "list", "--data-dir", dataDir.toString()), err.toString());
        }
        JsonNode reports = new ObjectMapper().readTree(out.toString());
        assertEquals(3, reports.size(), reports.toString());
        JsonNode event = reports.get(0);
        assertEquals("event", event.get("kind").asText());
        assertEquals("@alice:node.example", event.get("reporter").asText());
        assertEquals("!room:node.example", event.get("room_id").asText());
        assertEquals("$event", event.get("event_id").asText());
        assertEquals("spam", event.get("reason").asText());
        assertEquals(1_000, event.get("received_ts").asLong());
        assertEquals("1970-01-01T00:00:01Z", event.get("received").asText());
        assertFalse(event.has("user_id"));
        JsonNode room = reports.get(1);
        assertEquals("room", room.get("kind").asText());
        assertFalse(room.has("event_id"));
        JsonNode user = reports.get(2);
        assertEquals("user", user.get("kind").asText());
        assertEquals("@troll:other.example", user.get("user_id").asText());
        assertFalse(user.has("room_id"));
        assertNotEquals(event.get("report_id").asLong(), user.get("report_id").asLong());
    }

    @Test
    void kindNarrowsTheListAndAnEmptyListIsAnEmptyArray() throws Exception {
        try (SqliteStore store = SqliteStore.openInDirectory(dataDir)) {
            report(store, ContentReport.ofEvent("@alice:node.example", "!room:node.example", "$event", "spam", 1_000));
            report(store, ContentReport.ofUser("@alice:node.example", "@troll:other.example", "abuse", 3_000));
        }

        assertEquals(0, hyphae("report", "list", "--kind", "user", "--data-dir", dataDir.toString()), err.toString());
        JsonNode users = new ObjectMapper().readTree(out.toString());
        assertEquals(1, users.size(), users.toString());
        assertEquals("@troll:other.example", users.get(0).get("user_id").asText());

        out.getBuffer().setLength(0);
        assertEquals(0, hyphae("report", "list", "--kind", "room", "--data-dir", dataDir.toString()), err.toString());
        assertEquals(0, new ObjectMapper().readTree(out.toString()).size());
    }

    @Test
    void listOnADirectoryWithoutANodeFailsWithOneLine() {
        assertEquals(1, hyphae("report", "list", "--data-dir", dataDir.resolve("none").toString()));
        assertTrue(err.toString().startsWith("hyphae: no node in"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void anUnknownKindIsRefusedWithItsReason() throws Exception {
        try (SqliteStore store = SqliteStore.openInDirectory(dataDir)) {
            report(store, ContentReport.ofRoom("@bob:node.example", "!room:node.example", "", 2_000));
        }

        int exit = hyphae("report", "list", "--kind", "message", "--data-dir", dataDir.toString());

        assertNotEquals(0, exit);
        assertTrue(err.toString().startsWith("hyphae: ") && err.toString().contains("'message' is not a kind of report"),
                err.toString());
        assertEquals("", out.toString());
    }
}
