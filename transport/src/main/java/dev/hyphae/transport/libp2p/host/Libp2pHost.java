package dev.hyphae.transport.libp2p.host;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.connection.ConnectionUpgrader;
import dev.hyphae.transport.libp2p.connection.StreamProtocols;
import dev.hyphae.transport.libp2p.connection.TcpTransport;
import dev.hyphae.transport.libp2p.identify.IdentifyMessage;
import dev.hyphae.transport.libp2p.identify.IdentifyProtocol;
import dev.hyphae.transport.libp2p.identify.IdentifyReader;
import dev.hyphae.transport.libp2p.identify.IdentifyWriter;
import dev.hyphae.transport.libp2p.kad.KadDht;
import dev.hyphae.transport.libp2p.kad.KadPeer;
import dev.hyphae.transport.libp2p.kad.MemoryRecordStore;
import dev.hyphae.transport.libp2p.kad.NamespacedValidator;
import dev.hyphae.transport.libp2p.kad.PeerConnections;
import dev.hyphae.transport.libp2p.kad.PingLiveness;
import dev.hyphae.transport.libp2p.kad.ProviderStore;
import dev.hyphae.transport.libp2p.kad.RoutingTable;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multistream.ProtocolSelected;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PeerRecord;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.ping.PingInitiator;
import dev.hyphae.transport.libp2p.ping.PingProtocol;
import dev.hyphae.transport.libp2p.ping.PingResponder;
import dev.hyphae.transport.libp2p.relay.DirectUpgrade;
import dev.hyphae.transport.libp2p.relay.RelayClient;
import dev.hyphae.transport.libp2p.relay.RelayProtocol;
import dev.hyphae.transport.libp2p.relay.RelayService;
import dev.hyphae.transport.libp2p.relay.Reservation;
import dev.hyphae.transport.libp2p.relay.ReservationKeeper;
import dev.hyphae.transport.libp2p.yamux.YamuxMuxer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libp2p node: owns its event loops, TCP transport and upgrader (Noise, yamux), listens on the
 * configured addresses, serves identify, ping, the DHT and any registered protocol on every
 * connection, identifies each new connection into the {@link PeerStore} and (when the peer speaks
 * the DHT protocol) the DHT's routing table, registers every connection with the DHT's
 * {@link PeerConnections}, bootstraps the DHT and refreshes it periodically, and enforces
 * {@link ConnectionLimits}. It pushes identify ({@code /ipfs/id/push/1.0.0}) to its peers when its
 * listen addresses change and applies the pushes it receives; with {@link HostConfig#mdns()} set it
 * discovers peers on the local network, adds them to the peer store and (if configured) dials them.
 * Lifecycle: construct, {@link #registerProtocol} any extra protocols, {@link #start}, {@link #close}.
 *
 * <p>Circuit relay v2: the host always accepts relayed connections (the stop protocol) and dials
 * {@code …/p2p-circuit/p2p/<id>} addresses through the relay they name; it holds reservations on
 * the relays of {@link HostConfig#relays()} and then advertises its circuit addresses (and pushes
 * identify); with {@link HostConfig#relayService()} it relays for others. Relayed connections are
 * limited: the DHT and the hop protocol do not run on them, nor do protocols registered with
 * {@code runOnLimitedConnection} false, and {@link #connection(PeerId)} prefers a direct connection.
 * A relayed connection this host accepted is upgraded to a direct one on its own (DCUtR, see
 * {@link RelayMigration}) unless {@link HostConfig#holePunching()} is off; dials leave from the
 * listen port, so that the addresses peers observe are those a hole punch must dial.
 *
 * <p>The inbound rate per IP and the total connection limit are checked when a TCP socket is
 * accepted, before the Noise handshake; the per-peer limit only once the handshake has named the
 * peer. Relayed inbound connections share the relay's IP, so only the connection limits apply to
 * them. Listening on an unspecified address ({@code 0.0.0.0}) advertises that address as is in
 * identify; mDNS announces the interface's address instead.
 */
public final class Libp2pHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Libp2pHost.class);
    /** How long a relayed connection stays after a direct one to the same peer stands, for its streams to end. */
    private static final Duration RELAYED_GRACE = Duration.ofSeconds(1);

    private final PrivateKey key;
    private final HostConfig config;
    private final SecureRandom random;
    private final Clock clock;
    private final PeerStore peerStore;
    private final Map<String, ProtocolSelected> extraProtocols = new LinkedHashMap<>();
    private final Map<String, Boolean> extraOnLimited = new LinkedHashMap<>();
    private final HostAddresses addresses;
    private final RelayMigration migration;
    private final ConnectionAdmission admission;
    private final PeerConnections connections;
    private final KadDht dht;
    private final IdentifyPush identifyPush;
    private volatile MdnsPeerFinder mdns;

    private volatile RelayClient relayClient;
    private final Dialer dialer;
    private RelayService relayService;
    private ReservationKeeper reservations;
    private final DirectUpgrade directUpgrade;
    private final HostResources resources;
    private EventLoopGroup group;
    private TcpTransport transport;
    private List<String> protocolIds = List.of();
    private final List<TcpTransport.Listener> listeners = new ArrayList<>();
    private ScheduledFuture<?> refreshTask;
    private CompletableFuture<Integer> bootstrapped = CompletableFuture.completedFuture(0);
    private boolean started;

    /** A host whose peer store lives in memory only. */
    public Libp2pHost(PrivateKey key, HostConfig config, SecureRandom random, Clock clock) {
        this(key, config, random, clock, PeerPersistence.none());
    }

    /** A host whose peer store starts with, and saves to, {@code peerPersistence}. */
    public Libp2pHost(PrivateKey key, HostConfig config, SecureRandom random, Clock clock,
                      PeerPersistence peerPersistence) {
        this(key, config, random, clock, peerPersistence, HostResources.own());
    }

    /** As above, on the event loops and with the yamux tuning of {@code resources}. */
    public Libp2pHost(PrivateKey key, HostConfig config, SecureRandom random, Clock clock,
                      PeerPersistence peerPersistence, HostResources resources) {
        this.resources = Objects.requireNonNull(resources);
        this.key = Objects.requireNonNull(key);
        this.config = Objects.requireNonNull(config);
        this.random = Objects.requireNonNull(random);
        this.clock = Objects.requireNonNull(clock);
        this.peerStore = new PeerStore(clock, peerPersistence);
        this.addresses = new HostAddresses(key.peerId(), config.announceAddrs());
        this.directUpgrade = new DirectUpgrade(this::dialHolePunch, this::holePunchAddrs, this::liveConnection,
            this::nextDirect, config.timeout());
        this.connections = new PeerConnections(this::dialAddress);
        this.admission = new ConnectionAdmission(config.limits(), connections, this::admitted);
        this.dialer = new Dialer(connections, admission, this::dial);
        this.identifyPush = new IdentifyPush(peerStore, this::identifyMessage, admission::owning,
            this::addToDhtIfSpoken, config.timeout());
        this.migration = new RelayMigration(connections, directUpgrade::upgrade, config.holePunching(),
            RELAYED_GRACE);
        // the DHT runs on direct connections only: circuit v2 connections are limited
        PeerConnections direct = connections.unlimitedOnly();
        RoutingTable table = new RoutingTable(key.peerId(), config.kad().k(), config.kad().staleAfter(), clock,
            new PingLiveness(direct, random, config.timeout()));
        this.dht = new KadDht(config.kad(), key.peerId(), addresses::advertised, table, direct,
            NamespacedValidator.hyphae(), new MemoryRecordStore(10_000, Duration.ofHours(36), clock),
            new ProviderStore(clock, Duration.ofHours(48), Duration.ofMinutes(30), 10_000, 20), clock);
    }

    /**
     * Serves {@code protocolId} on streams remotes open, with {@code handler} installing its
     * handlers, on direct and on limited (relayed) connections alike; must be called before
     * {@link #start}, as the set served is fixed then.
     */
    public void registerProtocol(String protocolId, ProtocolSelected handler) {
        registerProtocol(protocolId, handler, true);
    }

    /**
     * As {@link #registerProtocol(String, ProtocolSelected)}; with {@code runOnLimitedConnection}
     * false the protocol is refused ({@code na}) on limited (relayed) connections, as js-libp2p does
     * for handlers not registered with {@code runOnLimitedConnection}.
     */
    public synchronized void registerProtocol(String protocolId, ProtocolSelected handler,
                                              boolean runOnLimitedConnection) {
        if (started) {
            throw new IllegalStateException("protocols must be registered before the host starts");
        }
        if (!protocolId.startsWith("/")) {
            throw new IllegalArgumentException("protocol id must start with '/': " + protocolId);
        }
        extraProtocols.put(protocolId, Objects.requireNonNull(handler));
        extraOnLimited.put(protocolId, runOnLimitedConnection);
    }

    /**
     * Binds the listen addresses and starts bootstrapping the DHT in the background (see
     * {@link #bootstrapped()}). Returns the bound addresses, each with {@code /p2p/<id>}.
     *
     * @throws IOException if an address cannot be bound (the host is then closed)
     */
    public synchronized List<Multiaddr> start() throws IOException {
        if (started) {
            throw new IllegalStateException("host already started");
        }
        started = true;
        StreamProtocols protocols = StreamProtocols.none()
            .with(IdentifyProtocol.ID, (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "identify",
                new IdentifyWriter(identifyMessage(ctx.channel()))))
            .with(IdentifyProtocol.PUSH_ID, identifyPush.receiver())
            .with(PingProtocol.ID, (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "ping", new PingResponder()))
            .with(dht.protocolId(), dht.streamHandler(), false)
            .with(RelayProtocol.STOP, (ctx, p) -> relayClient.stopHandler().selected(ctx, p))
            .with(DirectUpgrade.ID, directUpgrade.handler());
        if (config.relayService().isPresent()) {
            // A relay reports only its own direct addresses, never circuits through other relays.
            relayService = new RelayService(key, config.relayService().get(), clock,
                () -> addresses().stream().filter(a -> !RelayProtocol.isCircuit(a)).toList(),
                admission::byChannel, config.timeout());
            protocols = protocols.with(RelayProtocol.HOP, relayService.hopHandler(), false);
        }
        for (Map.Entry<String, ProtocolSelected> e : extraProtocols.entrySet()) {
            protocols = protocols.with(e.getKey(), e.getValue(), extraOnLimited.get(e.getKey()));
        }
        protocolIds = protocols.protocolIds();
        group = resources.sharedEventLoops().orElseGet(() -> new NioEventLoopGroup(config.eventLoopThreads()));
        ConnectionUpgrader upgrader = new ConnectionUpgrader(key, new YamuxMuxer(resources.yamux()), protocols,
            random, config.timeout());
        // relayed inbound connections share the relay's IP, so only the connection limits apply to them
        transport = new TcpTransport(group, upgrader, admission::admitInbound, config.timeout(),
            new InboundLimiter(config.limits(), admission::size));
        relayClient = new RelayClient(upgrader, admission::byChannel, admission::admitInbound, config.timeout());
        reservations = new ReservationKeeper(relayClient, this::dial, group, clock, this::addressesChanged);
        addresses.advertiseCircuits(reservations::circuitListenAddrs);
        dialer.started(transport, relayClient);
        List<Multiaddr> bound = new ArrayList<>();
        try {
            for (Multiaddr address : config.listenAddrs()) {
                TcpTransport.Listener listener = await(transport.listen(address), "listen on " + address);
                listeners.add(listener);
                bound.add(listener.address());
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        addresses.listening(bound);
        mdns = config.mdns().flatMap(m -> MdnsPeerFinder.start(m, addresses.listening(), key.peerId(),
            addresses::listeningWithId,
            peerStore, this::connection, this::dial, group)).orElse(null);
        if (!config.bootstrapPeers().isEmpty()) {
            bootstrapped = dht.bootstrap(config.bootstrapPeers());
        }
        for (Multiaddr relay : config.relays()) {
            reservations.keep(relay);
        }
        long every = config.refreshInterval().toMillis();
        refreshTask = group.next().scheduleAtFixedRate(() -> dht.refresh(random).whenComplete((size, e) -> {
            if (e != null) {
                LOG.info("DHT refresh failed: {}", e.getMessage());
            }
        }), every, every, TimeUnit.MILLISECONDS);
        return addresses();
    }

    /**
     * Listens on one more address once started, then tells connected peers (identify push) and the
     * local network (mDNS) the new set of addresses. Returns the bound address with {@code /p2p/<id>}.
     *
     * @throws IOException if the address cannot be bound
     */
    public Multiaddr listen(Multiaddr address) throws IOException {
        TcpTransport.Listener listener;
        synchronized (this) {
            if (!started || admission.isClosed()) {
                throw new IllegalStateException("the host must be running to listen on more addresses");
            }
            listener = await(transport.listen(address), "listen on " + address);
            listeners.add(listener);
            addresses.alsoListening(listener.address());
        }
        addressesChanged();
        return addresses.withId(listener.address());
    }

    /**
     * Sends this node's identify to every connected peer that said it accepts identify push.
     * Completes with the number of peers that took it; a peer that failed is only logged.
     */
    public CompletableFuture<Integer> pushIdentify() {
        return identifyPush.pushTo(admission.all());
    }

    /** Completes with the routing table's size once the bootstrap of {@link #start} is over. */
    public synchronized CompletableFuture<Integer> bootstrapped() {
        return bootstrapped;
    }

    public PeerId peerId() {
        return key.peerId();
    }

    /**
     * The bound listen addresses and, while reservations are held, the circuit addresses through
     * the relays ({@code <relay>/p2p-circuit}), each ending in {@code /p2p/<id>}.
     */
    public List<Multiaddr> addresses() {
        return addresses.advertisedWithId();
    }

    /** The reservations held on relays now. */
    public List<Reservation> reservations() {
        ReservationKeeper r = reservations;
        return r == null ? List.of() : r.reservations();
    }

    /**
     * Holds a reservation on the relay at {@code relay} (ending in {@code /p2p/<relay>}) from now
     * on, as if it were in {@link HostConfig#relays()}; completes with the first reservation.
     */
    public CompletableFuture<Reservation> reserve(Multiaddr relay) {
        ReservationKeeper r = reservations;
        if (r == null || admission.isClosed()) {
            return dialer.notRunning();
        }
        return r.keep(relay);
    }

    /** The relay service, when {@link HostConfig#relayService()} turned it on. */
    public Optional<RelayService> relayService() {
        return Optional.ofNullable(relayService);
    }

    /**
     * Tries to replace {@code relayed}, a relayed connection this host accepted, with a direct one
     * (DCUtR, {@code /libp2p/dcutr}); completes with the direct connection, at once if one to that
     * peer stands already, and joins the upgrade the host started on its own if that still runs.
     * Once the direct connection stands, the relayed one goes away after a grace period.
     */
    public CompletableFuture<Connection> upgradeToDirect(Connection relayed) {
        if (!relayed.isLimited()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a relayed connection: " + relayed));
        }
        Optional<Connection> direct = connections.unlimitedOnly().existing(relayed.remotePeer());
        return direct.isPresent() ? CompletableFuture.completedFuture(direct.get()) : directUpgrade.upgrade(relayed);
    }

    private CompletableFuture<Connection> nextDirect(PeerId peer) {
        return migration.nextDirect(peer);
    }

    /** What this host offers to dial in DCUtR; see {@link HostAddresses#holePunch}. */
    private List<Multiaddr> holePunchAddrs() {
        TcpTransport t = transport;
        return addresses.holePunch(t != null && t.reusesPort());
    }

    /**
     * Tells connected peers (identify push) and the local network (mDNS) the new addresses, as
     * listeners and reservations come and go.
     */
    private void addressesChanged() {
        LOG.info("advertised addresses now {}", addresses.advertised());
        pushIdentify();
        MdnsPeerFinder m = mdns;
        if (m != null) {
            m.announce();
        }
    }

    private Optional<Connection> liveConnection(Channel channel) {
        return admission.byChannel(channel);
    }

    public PeerStore peerStore() {
        return peerStore;
    }

    public KadDht dht() {
        return dht;
    }

    /** Number of live connections. */
    public int connectionCount() {
        return admission.size();
    }

    /** A live connection to {@code peer}, if there is one: a direct one before a relayed (limited) one. */
    public Optional<Connection> connection(PeerId peer) {
        return connections.existing(peer);
    }

    /**
     * Calls {@code listener} with every connection the host admits from now on, inbound and
     * outbound, once it is tracked (before identify). Called on an event loop: must not block.
     * Returns what removes the listener again.
     */
    public Runnable addConnectionListener(Consumer<Connection> listener) {
        return admission.addListener(listener);
    }

    /**
     * Admits from now on only the connections (inbound and outbound, once the handshake has named
     * the peer) that {@code allowed} accepts; the others are closed before any listener or protocol
     * sees them, and a dial that made one fails. Lets a test network cut links between hosts of one
     * process. Called on an event loop: must not block. Returns what removes the gate again.
     */
    public Runnable addConnectionGate(Predicate<Connection> allowed) {
        return admission.addGate(allowed);
    }

    /** The peer at the other end of {@code channel}: a live connection or one of its streams. */
    public Optional<PeerId> remotePeerOf(Channel channel) {
        return connections.remotePeerOf(channel);
    }

    /** A connection to {@code peer}: a live one, or dialled at the given addresses in turn. */
    public CompletableFuture<Connection> dial(KadPeer peer) {
        return connections.connect(peer);
    }

    /**
     * Dials {@code address}, reusing a live connection to that peer (a direct one for a TCP address):
     * a TCP address, optionally with {@code /p2p/<id>}, or a circuit address
     * {@code <relay>/p2p-circuit/p2p/<id>}, dialled through the relay (whose part may be just
     * {@code /p2p/<relay>} when the relay's addresses are known).
     */
    public CompletableFuture<Connection> dial(Multiaddr address) {
        return dialer.dial(address);
    }

    /** A connection to {@code peer}: a live one, or dialled at its known addresses, else at those the DHT finds. */
    public CompletableFuture<Connection> dial(PeerId peer) {
        Optional<Connection> existing = connection(peer);
        if (existing.isPresent()) {
            return CompletableFuture.completedFuture(existing.get());
        }
        Optional<PeerStore.PeerInfo> known = peerStore.get(peer).filter(i -> !i.addrs().isEmpty());
        CompletableFuture<KadPeer> target = known.isPresent()
            ? CompletableFuture.completedFuture(new KadPeer(peer, known.get().addrs()))
            : dht.findPeer(peer).thenApply(found -> found.orElseThrow(
                () -> new IllegalStateException("no addresses found for peer " + peer.toBase58())));
        return target.thenCompose(connections::connect);
    }

    /** The addresses of {@code peer} as the DHT knows or finds them. */
    public CompletableFuture<Optional<KadPeer>> findPeer(PeerId peer) {
        return dht.findPeer(peer);
    }

    /** One ping on {@code connection}: the round-trip time. */
    public CompletableFuture<Duration> ping(Connection connection) {
        PingInitiator initiator = new PingInitiator(random, System::nanoTime, config.timeout());
        return connection.openStream(PingProtocol.ID, (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "ping", initiator))
            .thenCompose(stream -> initiator.result());
    }

    /** Asks the remote of {@code connection} to identify itself; the answer also updates the peer store. */
    public CompletableFuture<IdentifyMessage> identify(Connection connection) {
        IdentifyReader reader = new IdentifyReader(connection.remotePeer(), false, config.timeout());
        return connection.openStream(IdentifyProtocol.ID, (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "identify", reader))
            .thenCompose(stream -> reader.result())
            .thenApply(message -> {
                learn(connection.remotePeer(), message);
                message.observedAddr().ifPresent(a -> addresses.observed(connection.isLimited(), a));
                return message;
            });
    }

    private void learn(PeerId peer, IdentifyMessage message) {
        addToDhtIfSpoken(peer, peerStore.update(peer, message));
    }

    /** Adds {@code peer} to the DHT's routing table if it speaks the DHT protocol and has addresses. */
    private void addToDhtIfSpoken(PeerId peer, PeerStore.PeerInfo info) {
        if (info.protocols().contains(dht.protocolId()) && !info.addrs().isEmpty()) {
            dht.addPeer(new KadPeer(peer, info.addrs()));
        }
    }

    private IdentifyMessage identifyMessage(Channel stream) {
        return identifyMessage(admission.owning(stream).map(Connection::remoteAddress));
    }

    private IdentifyMessage identifyMessage(Optional<Multiaddr> observed) {
        List<Multiaddr> addrs = addresses.advertised();
        return IdentifyMessage.of(key.publicKey(), addrs, protocolIds, observed, config.agentVersion(),
            Optional.of(new PeerRecord(key.peerId(), clock.millis(), addrs).seal(key)));
    }

    private CompletableFuture<Connection> dialAddress(Multiaddr address) {
        return dialer.dialAddress(address);
    }

    private CompletableFuture<Connection> dialHolePunch(Multiaddr address, boolean client, Duration roleWait) {
        return dialer.dialHolePunch(address, client, roleWait);
    }

    /** A connection just admitted: identify it, and let DCUtR upgrade it if it is relayed. */
    private void admitted(Connection connection) {
        CompletableFuture<IdentifyMessage> identified = identify(connection);
        identified.whenComplete((m, e) -> {
            if (e != null) {
                LOG.debug("identify of {} failed: {}", connection, e.getMessage());
            }
        });
        migration.admitted(connection, identified);
    }

    private <T> T await(CompletableFuture<T> future, String what) throws IOException {
        try {
            return future.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("could not " + what + ": timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while trying to " + what, e);
        }
    }

    /** Stops the refresh, the listeners and every connection, then the event loops. */
    @Override
    public synchronized void close() {
        if (!admission.close()) {
            return;
        }
        if (refreshTask != null) {
            refreshTask.cancel(false);
        }
        if (reservations != null) {
            reservations.close();
        }
        if (mdns != null) {
            mdns.close();
        }
        for (TcpTransport.Listener listener : listeners) {
            listener.close().awaitUninterruptibly();
        }
        for (Connection connection : admission.all()) {
            connection.close().awaitUninterruptibly();
        }
        if (group != null && resources.sharedEventLoops().isEmpty()) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
