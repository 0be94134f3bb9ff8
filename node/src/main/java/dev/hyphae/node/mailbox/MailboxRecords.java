package dev.hyphae.node.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailbox records of other servers: asked from each server while it is reachable (at most once
 * per refresh interval), checked against its key, and kept in the store for when it is not.
 */
public final class MailboxRecords {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxRecords.class);
    /** Where a node publishes its own record (unsigned GET; the record carries its own signature). */
    public static final String RECORD_PATH = "/_matrix/federation/unstable/dev.hyphae.mailbox/record";

    private final Store store;
    private final FederationClient client;
    private final Clock clock;
    private final Duration refresh;
    private final RecordDirectory directory;
    private final Map<String, Long> lastAsked = new ConcurrentHashMap<>();

    /** @param directory where to look for a record no server gave us (the DHT), or {@link RecordDirectory#NONE} */
    public MailboxRecords(Store store, FederationClient client, Clock clock, Duration refresh, RecordDirectory directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.store = Objects.requireNonNull(store, "store");
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
    }

    /** The mailboxes of {@code serverName} from its last stored record; empty when none is known. */
    public List<String> mailboxesOf(String serverName) {
        Optional<String> json = store.read(tx -> tx.mailboxes().record(serverName));
        if (json.isEmpty()) {
            return List.of();
        }
        try {
            return MailboxRecord.parse(json.get(), serverName).mailboxes();
        } catch (IllegalArgumentException e) {
            LOG.warn("the stored mailbox record of {} is unreadable: {}", serverName, e.getMessage());
            return List.of();
        }
    }

    /**
     * The mailboxes of {@code serverName}: from its stored record, else from the directory (the
     * record found there is stored); empty when neither knows any.
     */
    public CompletableFuture<List<String>> find(String serverName) {
        List<String> known = mailboxesOf(serverName);
        if (!known.isEmpty()) {
            return CompletableFuture.completedFuture(known);
        }
        return directory.find(serverName).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.completedFuture(List.<String>of());
            }
            return keep(serverName, found.get()).thenApply(stored -> found.get().mailboxes());
        }).exceptionally(error -> {
            LOG.debug("looking up the mailbox record of {} failed: {}", serverName, error.getMessage());
            return List.of();
        });
    }

    /**
     * {@code serverName} was reachable just now: ask for its record unless asked within the refresh
     * interval. Runs in the background; failures only wait for the next chance.
     */
    public void reachable(String serverName) {
        long now = clock.millis();
        Long previous = lastAsked.get(serverName);
        if (previous != null && now - previous < refresh.toMillis()) {
            return;
        }
        boolean claimed = previous == null ? lastAsked.putIfAbsent(serverName, now) == null
                : lastAsked.replace(serverName, previous, now);
        if (!claimed) {
            return; // another thread asks right now
        }
        ask(serverName);
    }

    /** Asks {@code serverName} for its record now and stores it when newer; completes when done. */
    public CompletableFuture<Void> ask(String serverName) {
        return client.request(FederationRequest.get(serverName, RECORD_PATH))
                .thenCompose(body -> store(serverName, body))
                .exceptionally(error -> {
                    LOG.debug("no mailbox record from {}: {}", serverName, error.getMessage());
                    return null;
                });
    }

    private CompletableFuture<Void> store(String serverName, JsonNode body) {
        return keep(serverName, MailboxRecord.parse(body, serverName));
    }

    /** Stores {@code record} unless a newer one is stored. */
    private CompletableFuture<Void> keep(String serverName, MailboxRecord record) {
        return store.write(tx -> {
            Optional<String> earlier = tx.mailboxes().record(serverName);
            if (earlier.isPresent()) {
                try {
                    if (MailboxRecord.parse(earlier.get(), serverName).ts() > record.ts()) {
                        return null; // an older record must not replace a newer one
                    }
                } catch (IllegalArgumentException e) {
                    // An unreadable stored record is replaced.
                }
            }
            tx.mailboxes().putRecord(serverName, record.json(), clock.millis());
            return null;
        });
    }
}
