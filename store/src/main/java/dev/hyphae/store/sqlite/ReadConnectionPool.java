package dev.hyphae.store.sqlite;

import dev.hyphae.store.ReadUnit;
import dev.hyphae.store.StoreClosedException;
import dev.hyphae.store.StoreException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A few read-only connections. Each read unit borrows one for the length of one read transaction,
 * which in WAL mode sees the last commit before it began and never waits for the writer.
 */
final class ReadConnectionPool {
    private static final Logger LOG = LoggerFactory.getLogger(ReadConnectionPool.class);
    private static final long BORROW_TIMEOUT_SECONDS = 60;

    private final BlockingQueue<SqliteSession> idle;
    private final int size;
    private volatile boolean closed;

    ReadConnectionPool(SqliteConnections connections, int size) {
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
        List<SqliteSession> opened = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                opened.add(connections.openReader());
            }
        } catch (StoreException e) {
            opened.forEach(SqliteSession::close);
            throw e;
        }
        idle.addAll(opened);
    }

    <T> T read(ReadUnit<T> unit) {
        SqliteSession session = borrow();
        try {
            return readIn(session, unit);
        } finally {
            idle.add(session);
        }
    }

    private static <T> T readIn(SqliteSession session, ReadUnit<T> unit) {
        try {
            session.executePrepared("BEGIN");
        } catch (SQLException e) {
            throw new StoreException("beginning a read transaction failed: " + e.getMessage(), e);
        }
        SqliteTransaction tx = SqliteTransaction.forRead(session);
        try {
            return unit.run(tx);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new StoreException("read unit failed: " + e.getMessage(), e);
        } finally {
            tx.end();
            try {
                session.executePrepared("ROLLBACK");
            } catch (SQLException e) {
                LOG.warn("ending a read transaction failed", e);
            }
        }
    }

    private SqliteSession borrow() {
        if (closed) {
            throw new StoreClosedException("the store is closed");
        }
        try {
            SqliteSession session = idle.poll(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (session == null) {
                throw new StoreException("no read connection became free in " + BORROW_TIMEOUT_SECONDS + " s");
            }
            if (closed) {
                idle.add(session);
                throw new StoreClosedException("the store is closed");
            }
            return session;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a read connection", e);
        }
    }

    /** Refuses new reads, waits for running ones and closes every connection. */
    void close() {
        closed = true;
        for (int i = 0; i < size; i++) {
            try {
                SqliteSession session = idle.poll(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (session == null) {
                    LOG.warn("a read connection was still in use at close");
                    continue;
                }
                session.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
