package dev.hyphae.store.sqlite;

import dev.hyphae.store.ReadUnit;
import dev.hyphae.store.SchemaTooNewException;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoreException;
import dev.hyphae.store.WriteUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** The store in one SQLite database file: one writer thread, a small pool of read connections. */
public final class SqliteStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);

    private final SqliteWriter writer;
    private final ReadConnectionPool readers;
    private final int schemaVersion;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqliteStore(SqliteWriter writer, ReadConnectionPool readers, int schemaVersion) {
        this.writer = writer;
        this.readers = readers;
        this.schemaVersion = schemaVersion;
    }

    /** Opens (creating if needed) the database in a node's data directory. */
    public static SqliteStore openInDirectory(Path dataDirectory) {
        return open(SqliteStoreOptions.inDirectory(dataDirectory));
    }

    /**
     * Opens (creating if needed) the database and brings its schema up to date.
     *
     * @throws SchemaTooNewException when the database was written by a newer version
     * @throws StoreException        when the database cannot be opened or migrated
     */
    public static SqliteStore open(SqliteStoreOptions options) {
        return open(options, SchemaMigrations.ALL);
    }

    /** Opens the database with only the given migrations, to test upgrades from older schemas. */
    static SqliteStore open(SqliteStoreOptions options, List<Migration> migrations) {
        Objects.requireNonNull(options, "options");
        Path file = options.databaseFile().toAbsolutePath();
        createOwnerOnly(file);
        SqliteConnections connections = new SqliteConnections(file, options.busyTimeout());
        SqliteSession writeSession = connections.openWriter();
        int version;
        ReadConnectionPool readers;
        try {
            version = new SchemaMigrations(migrations).apply(writeSession);
            readers = new ReadConnectionPool(connections, options.readConnections());
        } catch (SQLException e) {
            writeSession.close();
            throw new StoreException("migrating the schema of " + file + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            writeSession.close();
            throw e;
        }
        SqliteWriter writer = new SqliteWriter(writeSession, options.maxBatchUnits(), options.commitLinger(), "store");
        LOG.info("opened store {} at schema version {}", file, version);
        return new SqliteStore(writer, readers, version);
    }

    /**
     * Creates the directory and an empty database file readable by the owner only (it holds
     * password and token hashes); SQLite gives its -wal and -shm files the same permissions.
     */
    private static void createOwnerOnly(Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (Files.notExists(file)) {
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } else {
                    Files.createFile(file);
                }
            }
        } catch (FileAlreadyExistsException e) {
            // Another opener created it first; SQLite opens it as is.
        } catch (IOException e) {
            throw new StoreException("creating the database file " + file + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> CompletableFuture<T> write(WriteUnit<T> unit) {
        Objects.requireNonNull(unit, "unit");
        return writer.submit(unit);
    }

    @Override
    public <T> T read(ReadUnit<T> unit) {
        Objects.requireNonNull(unit, "unit");
        return readers.read(unit);
    }

    @Override
    public int schemaVersion() {
        return schemaVersion;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            writer.close();
            readers.close();
        }
    }
}
