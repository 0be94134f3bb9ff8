package dev.hyphae.store.sqlite;

import dev.hyphae.store.StoredEvent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kills a writing process without warning and checks that every acknowledged write is there. */
class SqliteStoreCrashIT {
    private static final int ACKS_BEFORE_KILL = 2000;

    @TempDir
    Path dataDirectory;

    @Test
    void everyAcknowledgedEventSurvivesTheWriterBeingKilled() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AcknowledgingWriter.class.getName(), dataDirectory.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged.size() < ACKS_BEFORE_KILL && (line = lines.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acknowledged.add(line.split(" ")[1]);
                }
            }
            // SIGKILL: no shutdown hooks, no close, writes possibly in flight.
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        } finally {
            process.destroyForcibly();
        }
        assertEquals(ACKS_BEFORE_KILL, acknowledged.size(), "the writer process stopped early");

        try (SqliteStore store = SqliteStore.openInDirectory(dataDirectory)) {
            Map<String, StoredEvent> found = store.read(tx -> tx.events().getAll(acknowledged));
            assertEquals(acknowledged.size(), found.size());
        }
        try (Connection connection = DriverManager.getConnection(
                "jdbc:sqlite:" + dataDirectory.resolve(SqliteStoreOptions.DATABASE_FILE_NAME));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
            rows.next();
            assertEquals("ok", rows.getString(1));
        }
    }
}
