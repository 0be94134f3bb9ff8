package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.mailbox.MailboxRecord;
import dev.hyphae.store.sqlite.SqliteStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailboxCommandTest {
    private static final String MAILBOX = NodeIdentity.fromSeed(new byte[32]).serverName();

    @TempDir
    Path dataDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Hyphae.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void statusShowsTheMailboxesServingThisNodeTheLastFetchAndTheDeposits() {
        NodeIdentity identity = NodeIdentity.loadOrCreate(dataDir, new SecureRandom());
        try (SqliteStore store = SqliteStore.openInDirectory(dataDir)) {
            store.write(tx -> {
                tx.mailboxes().putRecord(identity.serverName(),
                        MailboxRecord.create(identity, List.of(MAILBOX), 1).json(), 1);
                tx.mailboxes().recordFetch(MAILBOX, 1_700_000_000_000L, 7, 2, Optional.empty());
                tx.mailboxes().recordDeposit("other.onion", 1_700_000_000_000L, Optional.empty());
                tx.mailboxes().addRecipient("someone.onion", 1);
                tx.mailboxes().deposit("someone.onion", new byte[32], new byte[4096], Long.MAX_VALUE);
                return null;
            }).join();
        }
        assertEquals(0, run("mailbox", "status", "--data-dir", dataDir.toString()), err.toString());
        String text = out.toString();
        assertTrue(text.contains("mailboxes serving this node: " + MAILBOX), text);
        assertTrue(text.contains("last fetch 2023-11-14T22:13:20Z, 7 fetched, 2 waiting"), text);
        assertTrue(text.contains("deposited at other nodes' mailboxes: 1 envelopes"), text);
        assertTrue(text.contains("other.onion: 1 deposited"), text);
        assertTrue(text.contains("serving as mailbox: 1 nodes registered, 1 envelopes waiting"), text);
    }

    @Test
    void statusOfADirectoryWithoutANodeFailsInOneLine() {
        assertEquals(1, run("mailbox", "status", "--data-dir", dataDir.resolve("none").toString()));
        assertTrue(err.toString().startsWith("hyphae: no node in"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void aMailboxThatIsNoOnionAddressIsAUsageError() {
        assertEquals(2, run("run", "--data-dir", dataDir.toString(), "--no-mdns", "--tor", "--mailbox", "example.org"));
        assertTrue(err.toString().contains("a mailbox is an onion address"), err.toString());
    }

    @Test
    void mailboxesWithoutTorAreAUsageError() {
        assertEquals(2, run("run", "--data-dir", dataDir.toString(), "--no-mdns", "--no-tor", "--mailbox-serve"));
        assertTrue(err.toString().contains("mailboxes are reached over Tor"), err.toString());
    }
}
