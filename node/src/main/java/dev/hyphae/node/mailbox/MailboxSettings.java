package dev.hyphae.node.mailbox;

import dev.hyphae.transport.router.OnionAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node uses mailboxes.
 *
 * @param mailboxes      the mailboxes that serve this node (onion server names), published in its
 *                       record and fetched from
 * @param serve          the limits of the mailbox this node serves for others, empty when it serves none
 * @param fetchInterval  the mean time between fetches; each wait is drawn uniformly from half to
 *                       one and a half of it
 * @param depositAfter   how long a destination must stay unreachable before its mailboxes are used
 * @param directProbe    once a destination's mailboxes are in use, how often a transaction still
 *                       tries the destination directly first
 * @param recordRefresh  how often a reachable server is asked for its record again
 */
public record MailboxSettings(List<String> mailboxes, Optional<MailboxServeSettings> serve, Duration fetchInterval,
        Duration depositAfter, Duration directProbe, Duration recordRefresh) {
    public MailboxSettings {
        mailboxes = List.copyOf(mailboxes);
        if (mailboxes.size() > MailboxRecord.MAX_MAILBOXES) {
            throw new IllegalArgumentException("at most " + MailboxRecord.MAX_MAILBOXES + " mailboxes");
        }
        for (String mailbox : mailboxes) {
            if (OnionAddress.tryParse(mailbox).isEmpty()) {
                throw new IllegalArgumentException("a mailbox is an onion address (56 characters + .onion), not '"
                        + mailbox + "'");
            }
        }
        Objects.requireNonNull(serve, "serve");
        for (Duration d : List.of(fetchInterval, depositAfter, directProbe, recordRefresh)) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("mailbox intervals must not be negative");
            }
        }
    }

    /** No mailboxes, serving none; fetch every 5 minutes on average, deposit after 5 minutes unreachable. */
    public static MailboxSettings defaults() {
        return new MailboxSettings(List.of(), Optional.empty(), Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofMinutes(1), Duration.ofHours(1));
    }

    public MailboxSettings withMailboxes(List<String> list) {
        return new MailboxSettings(list, serve, fetchInterval, depositAfter, directProbe, recordRefresh);
    }

    public MailboxSettings withServe(Optional<MailboxServeSettings> settings) {
        return new MailboxSettings(mailboxes, settings, fetchInterval, depositAfter, directProbe, recordRefresh);
    }

    public MailboxSettings withFetchInterval(Duration interval) {
        return new MailboxSettings(mailboxes, serve, interval, depositAfter, directProbe, recordRefresh);
    }

    public MailboxSettings withDepositAfter(Duration after) {
        return new MailboxSettings(mailboxes, serve, fetchInterval, after, directProbe, recordRefresh);
    }
}
