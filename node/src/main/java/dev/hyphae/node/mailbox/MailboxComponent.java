package dev.hyphae.node.mailbox;

import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationEndpointGroup;
import dev.hyphae.node.federation.XMatrixSigner;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.store.Store;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mailboxes in a running node, assembled: the endpoints (this node's record; deposit and fetch when
 * it serves as a mailbox), the outbound client that deposits for unreachable destinations, and the
 * fetcher of this node's own mailboxes. Mailboxes are reached over Tor only.
 *
 * <p>Use: register {@link #endpoints()} with the federation routes before they are served, build
 * the outbound queue with {@link #outbound(FederationClient)}, and {@link #start(RouteTable)} once
 * the routes are complete.
 */
public final class MailboxComponent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxComponent.class);
    private static final Duration TOR_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration REPUBLISH = Duration.ofMinutes(10);

    private final NodeIdentity identity;
    private final Store store;
    private final MailboxSettings settings;
    private final Clock clock;
    private final SecureRandom random;
    private final EnvelopeSealer sealer;
    private final TorMailboxTransport transport;
    private final MailboxRecord ownRecord;
    private final RecordDirectory directory;
    private final ScheduledExecutorService publisher;
    private final boolean ownsPublisher;
    private final List<MailboxDepositor> depositors = new CopyOnWriteArrayList<>();
    private ScheduledFuture<?> publishing;
    private MailboxFetcher fetcher;

    /**
     * @param torSocks        tor's SOCKS address once tor runs; throws while it does not
     * @param directory       where this node's record is published and others' are looked up (the
     *                        DHT when libp2p runs, else {@link RecordDirectory#NONE})
     * @param sharedPublisher a scheduler that many nodes of one process share to publish their
     *                        records (it is not shut down on close, only this node's task is
     *                        cancelled); empty: a thread of this component's own
     */
    public MailboxComponent(NodeIdentity identity, Store store, MailboxSettings settings, Supplier<InetSocketAddress> torSocks,
            RecordDirectory directory, Clock clock, SecureRandom random,
            Optional<ScheduledExecutorService> sharedPublisher) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.ownsPublisher = sharedPublisher.isEmpty();
        this.publisher = sharedPublisher.orElseGet(() -> Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "hyphae-mailbox-record");
            thread.setDaemon(true);
            return thread;
        }));
        this.identity = Objects.requireNonNull(identity, "identity");
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.sealer = new EnvelopeSealer(identity, random);
        this.transport = new TorMailboxTransport(torSocks, TOR_TIMEOUT);
        // Published even with no mailboxes, so that senders forget mailboxes this node dropped.
        this.ownRecord = MailboxRecord.create(identity, settings.mailboxes(), clock.millis());
    }

    /** The record endpoint, and the mailbox's own when this node serves one. */
    public FederationEndpointGroup endpoints() {
        Optional<MailboxService> service = settings.serve().map(serve -> new MailboxService(store, serve, clock));
        return new MailboxEndpoints(service, () -> Optional.of(ownRecord));
    }

    /** Items dropped because no envelope holds them, by every outbound client made here (see {@link MailboxDepositor}). */
    public long itemsTooLarge() {
        return depositors.stream().mapToLong(MailboxDepositor::itemsTooLarge).sum();
    }

    /** The client for the outbound queue: {@code carriers}, with deposits for destinations that stay unreachable. */
    public FederationClient outbound(FederationClient carriers) {
        MailboxRecords records = new MailboxRecords(store, carriers, clock, settings.recordRefresh(), directory);
        MailboxDepositor depositor = new MailboxDepositor(new XMatrixSigner(identity.serverName(), identity.signingKey()),
                sealer, records, transport, store, clock);
        depositors.add(depositor);
        return new MailboxFallbackClient(carriers, depositor, records, clock, settings.depositAfter(),
                settings.directProbe());
    }

    /** Starts fetching from this node's mailboxes into {@code federationRoutes}. */
    public synchronized void start(RouteTable federationRoutes) {
        // Kept beside the records of others, so that 'hyphae mailbox status' can show it.
        store.write(tx -> {
            tx.mailboxes().putRecord(identity.serverName(), ownRecord.json(), clock.millis());
            return null;
        }).join();
        if (fetcher != null) {
            return;
        }
        // DHT records are kept by peers for a limited time, and the DHT may have no peers yet: publish again and again.
        publishing = publisher.scheduleWithFixedDelay(() -> directory.publish(ownRecord).exceptionally(error -> {
            LOG.debug("publishing the mailbox record failed: {}", error.getMessage());
            return null;
        }), 30, REPUBLISH.toSeconds(), TimeUnit.SECONDS);
        if (settings.mailboxes().isEmpty()) {
            return;
        }
        Duration mean = settings.fetchInterval();
        fetcher = new MailboxFetcher(identity, settings.mailboxes(), transport, sealer,
                new LocalDelivery(federationRoutes), store, clock, random, mean.dividedBy(2),
                mean.plus(mean.dividedBy(2)));
        fetcher.start();
    }

    @Override
    public synchronized void close() {
        if (publishing != null) {
            publishing.cancel(false);
        }
        if (ownsPublisher) {
            publisher.shutdownNow();
        }
        if (fetcher != null) {
            fetcher.close();
        }
        transport.close();
    }
}
