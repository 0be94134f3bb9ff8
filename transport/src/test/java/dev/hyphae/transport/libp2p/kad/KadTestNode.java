package dev.hyphae.transport.libp2p.kad;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.connection.ConnectionUpgrader;
import dev.hyphae.transport.libp2p.connection.StreamProtocols;
import dev.hyphae.transport.libp2p.connection.TcpTransport;
import dev.hyphae.transport.libp2p.identify.IdentifyMessage;
import dev.hyphae.transport.libp2p.identify.IdentifyProtocol;
import dev.hyphae.transport.libp2p.identify.IdentifyReader;
import dev.hyphae.transport.libp2p.identify.IdentifyWriter;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PeerRecord;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.ping.PingProtocol;
import dev.hyphae.transport.libp2p.ping.PingResponder;
import dev.hyphae.transport.libp2p.yamux.YamuxConfig;
import dev.hyphae.transport.libp2p.yamux.YamuxMuxer;
import io.netty.channel.EventLoopGroup;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A libp2p node for DHT tests, wired as the real node will be: TCP, Noise, yamux, identify, ping
 * and the DHT; every connection is registered with the DHT's {@link PeerConnections}, and a peer
 * whose identify lists the DHT protocol enters the routing table with its listen addresses (what
 * js-libp2p does too).
 */
final class KadTestNode implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final PrivateKey key;
    final KadDht dht;
    final PeerConnections connections;
    final TcpTransport.Listener listener;
    private final AtomicReference<List<Multiaddr>> listenAddrs = new AtomicReference<>(List.of());

    KadTestNode(EventLoopGroup group, SecureRandom random, KadConfig config) throws Exception {
        this.key = PrivateKey.generate(random);
        AtomicReference<TcpTransport> transport = new AtomicReference<>();
        this.connections = new PeerConnections(address -> transport.get().dial(address));
        Clock clock = Clock.systemUTC();
        RoutingTable table = new RoutingTable(key.peerId(), config.k(), config.staleAfter(), clock,
            new PingLiveness(connections, random, TIMEOUT));
        this.dht = new KadDht(config, key.peerId(), listenAddrs::get, table, connections, NamespacedValidator.hyphae(),
            new MemoryRecordStore(10_000, Duration.ofHours(36), clock), new ProviderStore(clock, Duration.ofHours(48), Duration.ofMinutes(30), 10_000, 20),
            clock);
        StreamProtocols protocols = StreamProtocols.none()
            .with(IdentifyProtocol.ID, (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "identify",
                new IdentifyWriter(identifyMessage(config.protocolId()))))
            .with(PingProtocol.ID, (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "ping", new PingResponder()))
            .with(dht.protocolId(), dht.streamHandler());
        ConnectionUpgrader upgrader = new ConnectionUpgrader(key, new YamuxMuxer(YamuxConfig.defaults()), protocols,
            random, TIMEOUT);
        transport.set(new TcpTransport(group, upgrader, this::inbound, TIMEOUT));
        this.listener = transport.get().listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(10, TimeUnit.SECONDS);
        listenAddrs.set(List.of(listener.address()));
    }

    private IdentifyMessage identifyMessage(String kadProtocol) {
        List<Multiaddr> addrs = listenAddrs.get();
        return IdentifyMessage.of(key.publicKey(), addrs,
            List.of(IdentifyProtocol.ID, PingProtocol.ID, kadProtocol), Optional.empty(), "hyphae-test/0",
            Optional.of(new PeerRecord(key.peerId(), System.currentTimeMillis(), addrs).seal(key)));
    }

    private void inbound(Connection connection) {
        connections.register(connection);
        identify(connection);
    }

    /** Learns the remote's listen addresses and, if it serves the DHT, adds it to the routing table. */
    void identify(Connection connection) {
        IdentifyReader reader = new IdentifyReader(connection.remotePeer(), false, TIMEOUT);
        connection.openStream(IdentifyProtocol.ID, (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "identify", reader));
        reader.result().thenAccept(message -> {
            if (message.protocols().contains(dht.protocolId())) {
                dht.addPeer(new KadPeer(connection.remotePeer(), message.listenAddrs()));
            }
        });
    }

    PeerId peerId() {
        return key.peerId();
    }

    /** The listen address with {@code /p2p/<id>}. */
    Multiaddr address() {
        return listener.address().encapsulate(Multiaddr.parse("/p2p/" + peerId().toBase58()));
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }
}
