package dev.hyphae.cli;

import dev.hyphae.node.mailbox.MailboxServeSettings;
import dev.hyphae.node.mailbox.MailboxSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Store-and-forward mailboxes of {@code hyphae run}: which mailboxes serve this node
 * ({@code --mailbox}), and whether it serves as a mailbox for others ({@code --mailbox-serve}).
 * Mailboxes are reached over Tor, so both need Tor.
 */
final class MailboxOptions {
    @Option(names = "--mailbox", paramLabel = "ONION",
            description = "A mailbox that keeps messages for this node while it is offline (its onion server name); "
                    + "may be repeated.")
    List<String> mailboxes = new ArrayList<>();

    @Option(names = "--mailbox-serve", description = "Serve as a mailbox for nodes that choose this node (over Tor).")
    boolean serve;

    @Option(names = "--mailbox-serve-for", paramLabel = "ONION",
            description = "Serve only these nodes as mailbox (default: any node, up to --mailbox-max-recipients); "
                    + "may be repeated.")
    List<String> serveFor = new ArrayList<>();

    @Option(names = "--mailbox-max-recipients", paramLabel = "N", defaultValue = "64",
            description = "How many nodes the mailbox serves (default: ${DEFAULT-VALUE}).")
    int maxRecipients;

    @Option(names = "--mailbox-quota-envelopes", paramLabel = "N", defaultValue = "10000",
            description = "Envelopes kept per served node (default: ${DEFAULT-VALUE}).")
    int quotaEnvelopes;

    @Option(names = "--mailbox-quota-mib", paramLabel = "MIB", defaultValue = "256",
            description = "MiB of envelopes kept per served node (default: ${DEFAULT-VALUE}).")
    long quotaMib;

    @Option(names = "--mailbox-expiry-hours", paramLabel = "HOURS", defaultValue = "336",
            description = "How long an unfetched envelope is kept (default: ${DEFAULT-VALUE}, 14 days).")
    long expiryHours;

    @Option(names = "--mailbox-fetch-interval", paramLabel = "SECONDS", defaultValue = "300",
            description = "Mean time between fetches from this node's mailboxes; each wait is random between half "
                    + "and one and a half of it (default: ${DEFAULT-VALUE}).")
    long fetchIntervalSeconds;

    @Option(names = "--mailbox-deposit-after", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long another node must stay unreachable before messages go to its mailboxes "
                    + "(default: ${DEFAULT-VALUE}).")
    long depositAfterSeconds;

    /**
     * The settings these options give.
     *
     * @throws IllegalArgumentException for a bad value, naming its option
     */
    MailboxSettings settings() {
        if (maxRecipients < 1 || quotaEnvelopes < 1 || quotaMib < 1 || expiryHours < 1) {
            throw new IllegalArgumentException("--mailbox-max-recipients, --mailbox-quota-envelopes, "
                    + "--mailbox-quota-mib and --mailbox-expiry-hours must be positive");
        }
        if (fetchIntervalSeconds < 1 || depositAfterSeconds < 0) {
            throw new IllegalArgumentException("--mailbox-fetch-interval must be positive and --mailbox-deposit-after "
                    + "not negative");
        }
        Optional<MailboxServeSettings> served = Optional.empty();
        if (serve) {
            MailboxServeSettings defaults = MailboxServeSettings.defaults();
            served = Optional.of(new MailboxServeSettings(maxRecipients, quotaEnvelopes, quotaMib * 1024 * 1024,
                    Duration.ofHours(expiryHours), Set.copyOf(serveFor), defaults.fetchWindow()));
        } else if (!serveFor.isEmpty()) {
            throw new IllegalArgumentException("--mailbox-serve-for needs --mailbox-serve");
        }
        try {
            return MailboxSettings.defaults().withMailboxes(mailboxes).withServe(served)
                    .withFetchInterval(Duration.ofSeconds(fetchIntervalSeconds))
                    .withDepositAfter(Duration.ofSeconds(depositAfterSeconds));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mailbox: " + e.getMessage(), e);
        }
    }

    /** Whether any mailbox feature is asked for (they need Tor). */
    boolean used() {
        return serve || !mailboxes.isEmpty();
    }
}
