package dev.hyphae.cli;

import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.mailbox.MailboxRecord;
import dev.hyphae.store.MailboxUsage;
import dev.hyphae.store.sqlite.SqliteStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hyphae mailbox}: store-and-forward mailboxes of the node. */
@Command(name = "mailbox", mixinStandardHelpOptions = true,
        description = "Store-and-forward mailboxes: see 'hyphae run --mailbox' and '--mailbox-serve'.",
        subcommands = {MailboxCommand.Status.class})
final class MailboxCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code hyphae mailbox status}: which mailboxes serve this node, when it last fetched and what
     * waits there, what it deposited at other nodes' mailboxes, and what it keeps as a mailbox. Read
     * from the store beside a running node.
     */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the mailboxes serving this node, envelopes waiting and deposited, and the last fetch.")
    static final class Status implements Callable<Integer> {
        @Mixin
        DataDirectoryOption dataDirectory;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path dataDir = UserCommand.existingNode(dataDirectory);
            String serverName = NodeIdentity.loadOrCreate(dataDir, new SecureRandom()).serverName();
            PrintWriter out = spec.commandLine().getOut();
            try (SqliteStore store = SqliteStore.openInDirectory(dataDir)) {
                Optional<String> ownRecord = store.read(tx -> tx.mailboxes().record(serverName));
                List<String> own = ownRecord.map(json -> MailboxRecord.parse(json, serverName).mailboxes())
                        .orElse(List.of());
                List<MailboxUsage> usage = store.read(tx -> tx.mailboxes().usage());
                out.println("mailboxes serving this node: " + (own.isEmpty() ? "none" : String.join(", ", own)));
                for (String mailbox : own) {
                    Optional<MailboxUsage> used = usage.stream().filter(u -> u.mailbox().equals(mailbox)).findFirst();
                    out.println("  " + mailbox + ": " + used.map(u -> u.lastFetchTs() == 0 ? "never fetched"
                            : "last fetch " + Instant.ofEpochMilli(u.lastFetchTs()) + ", " + u.fetched() + " fetched, "
                            + u.waiting() + " waiting").orElse("never fetched")
                            + used.flatMap(MailboxUsage::lastError).map(e -> " (last error: " + e + ")").orElse(""));
                }
                List<MailboxUsage> deposits = usage.stream().filter(u -> u.deposited() > 0 || u.lastDepositTs() > 0
                        || !own.contains(u.mailbox())).toList();
                out.println("deposited at other nodes' mailboxes: " + (deposits.isEmpty() ? "none"
                        : deposits.stream().mapToLong(MailboxUsage::deposited).sum() + " envelopes"));
                for (MailboxUsage u : deposits) {
                    out.println("  " + u.mailbox() + ": " + u.deposited() + " deposited"
                            + (u.lastDepositTs() == 0 ? "" : ", last " + Instant.ofEpochMilli(u.lastDepositTs()))
                            + u.lastError().map(e -> " (last error: " + e + ")").orElse(""));
                }
                int recipients = store.read(tx -> tx.mailboxes().recipientCount());
                long kept = store.read(tx -> tx.mailboxes().totalEnvelopes());
                out.println("serving as mailbox: " + recipients + " nodes registered, " + kept + " envelopes waiting");
            }
            out.flush();
            return 0;
        }
    }
}
