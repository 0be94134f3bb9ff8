package dev.hyphae.transport.libp2p.kad;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.kad.proto.KadProto.Message;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.Protocol;
import dev.hyphae.transport.libp2p.multistream.ProtocolSelected;
import dev.hyphae.transport.libp2p.peer.PeerId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node of the libp2p Kademlia DHT: serves the protocol on inbound streams ({@link #streamHandler()})
 * and runs the client operations (peer routing, values, providers, bootstrap) through iterative
 * lookups. Peers enter the routing table when they answer a DHT request, or when the node reports
 * them through {@link #addPeer} (after identify showed they serve the DHT protocol).
 */
public final class KadDht {

    private static final Logger LOG = LoggerFactory.getLogger(KadDht.class);

    private final KadConfig config;
    private final PeerId local;
    private final Supplier<List<Multiaddr>> localAddrs;
    private final RoutingTable table;
    private final PeerConnections connections;
    private final RecordValidator validator;
    private final RecordStore records;
    private final ProviderStore providers;
    private final Clock clock;
    private final KadServer server;
    private final KadRpc rpc;

    public KadDht(KadConfig config, PeerId local, Supplier<List<Multiaddr>> localAddrs, RoutingTable table,
                  PeerConnections connections, RecordValidator validator, RecordStore records,
                  ProviderStore providers, Clock clock) {
        this.config = config;
        this.local = local;
        this.localAddrs = localAddrs;
        this.table = table;
        this.connections = connections;
        this.validator = validator;
        this.records = records;
        this.providers = providers;
        this.clock = clock;
        this.server = new KadServer(local, localAddrs, table, validator, records, providers, clock, config.k());
        this.rpc = new KadRpc(config.protocolId(), config.maxMessageSize(), config.requestTimeout());
    }

    public String protocolId() {
        return config.protocolId();
    }

    public RoutingTable routingTable() {
        return table;
    }

    /**
     * Installs the server on an inbound stream; register it with
     * {@code StreamProtocols.with(dht.protocolId(), dht.streamHandler())}. Streams on connections
     * not registered with the {@link PeerConnections} are closed.
     */
    public ProtocolSelected streamHandler() {
        return (ctx, protocol) -> {
            Optional<PeerId> remote = connections.remotePeerOf(ctx.channel());
            if (remote.isEmpty()) {
                LOG.debug("DHT stream on an unregistered connection {}; closed", ctx.channel());
                ctx.close();
                return;
            }
            ctx.pipeline().addAfter(ctx.name(), "kad-frames", new KadFrameDecoder(config.maxMessageSize()));
            ctx.pipeline().addAfter("kad-frames", "kad-server",
                new KadStreamHandler(server, remote.get(), config.streamIdleTimeout()));
        };
    }

    /** Reports a peer that serves the DHT (identify listed {@link #protocolId()}), with its listen addresses. */
    public void addPeer(KadPeer peer) {
        table.seen(peer);
    }

    /**
     * Connects to each bootstrap address ({@code …/p2p/<id>}), asks it for the peers nearest to us
     * and then looks ourselves up, which fills the routing table. Completes with the table's size.
     */
    public CompletableFuture<Integer> bootstrap(List<Multiaddr> peers) {
        List<CompletableFuture<Void>> asks = new ArrayList<>();
        for (Multiaddr address : peers) {
            Optional<String> id = address.valueOf(Protocol.P2P);
            if (id.isEmpty()) {
                LOG.warn("bootstrap address {} has no /p2p/ id; skipped", address);
                continue;
            }
            KadPeer peer;
            try {
                peer = new KadPeer(PeerId.parse(id.get()), List.of(address.withoutPeerId()));
            } catch (IllegalArgumentException e) {
                LOG.warn("bootstrap address {} names no valid peer: {}", address, e.getMessage());
                continue;
            }
            asks.add(request(peer, KadMessages.findNode(local.toBytes()))
                .thenAccept(m -> { })
                .exceptionally(e -> {
                    LOG.info("bootstrap peer {} did not answer: {}", address, e.getMessage());
                    return null;
                }));
        }
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
            .thenCompose(v -> findClosestPeers(local.toBytes()))
            .thenApply(found -> table.size());
    }

    /**
     * The spec's periodic bootstrap run (the node schedules it, e.g. every 10 minutes): a lookup of
     * our own id, and one of a random key in each non-empty bucket up to
     * {@value #MAX_REFRESHED_BUCKET} (deeper buckets lie near us and are covered by the self
     * lookup). Completes with the routing table's size.
     */
    public CompletableFuture<Integer> refresh(Random random) {
        List<CompletableFuture<List<KadPeer>>> lookups = new ArrayList<>();
        lookups.add(findClosestPeers(local.toBytes()));
        KadId localId = KadId.ofPeer(local);
        for (int bucket : table.nonEmptyBuckets()) {
            if (bucket <= MAX_REFRESHED_BUCKET) {
                lookups.add(findClosestPeers(randomKeyInBucket(localId, bucket, random)));
            }
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(v -> table.size());
    }

    /** Deepest bucket {@link #refresh} targets with a random key; finding one takes about 2^(b+1) hashes. */
    static final int MAX_REFRESHED_BUCKET = 15;

    /** A random key whose point shares exactly {@code bucket} leading bits with {@code localId}. */
    static byte[] randomKeyInBucket(KadId localId, int bucket, Random random) {
        byte[] key = new byte[32];
        while (true) {
            random.nextBytes(key);
            if (localId.commonPrefixLength(KadId.ofKey(key)) == bucket) {
                return key;
            }
        }
    }

    /** The k peers nearest to {@code key} that answered, nearest first. */
    public CompletableFuture<List<KadPeer>> findClosestPeers(byte[] key) {
        Message request = KadMessages.findNode(key);
        return lookup(key, peer -> request(peer, request).thenApply(this::closerPeers), () -> false);
    }

    /**
     * The addresses of {@code peer}: from the routing table or a live connection, else from a
     * lookup that stops as soon as an answer names the peer with addresses.
     */
    public CompletableFuture<Optional<KadPeer>> findPeer(PeerId peer) {
        Optional<KadPeer> known = table.find(peer);
        if (known.isPresent() && !known.get().addrs().isEmpty()) {
            return CompletableFuture.completedFuture(known);
        }
        Message request = KadMessages.findNode(peer.toBytes());
        AtomicReference<KadPeer> found = new AtomicReference<>();
        return lookup(peer.toBytes(), p -> request(p, request).thenApply(response -> {
            List<KadPeer> closer = closerPeers(response);
            closer.stream().filter(c -> c.id().equals(peer) && !c.addrs().isEmpty()).findFirst().ifPresent(found::set);
            return closer;
        }), () -> found.get() != null).thenApply(closest -> Optional.ofNullable(found.get()));
    }

    /**
     * The best valid value for {@code key}: the local record counts as one answer; the lookup
     * ends once {@code quorum} valid values are in (Hyphae uses quorum 1, so a single, possibly
     * not newest, answer suffices). Peers that answered with an older value are sent the best one.
     */
    public CompletableFuture<Optional<byte[]>> getValue(byte[] key) {
        List<byte[]> values = new ArrayList<>();
        Map<KadPeer, byte[]> answers = new LinkedHashMap<>();
        records.get(key).ifPresent(s -> {
            try {
                validator.validate(key, s.value());
                values.add(s.value());
            } catch (InvalidRecordException e) {
                LOG.debug("local record for key no longer valid: {}", e.getMessage());
            }
        });
        if (values.size() >= config.quorum()) {
            return CompletableFuture.completedFuture(Optional.of(values.get(0)));
        }
        Message request = KadMessages.getValue(key);
        return lookup(key, peer -> request(peer, request).thenApply(response -> {
            if (response.hasRecord()) {
                byte[] value = response.getRecord().getValue().toByteArray();
                try {
                    if (!Arrays.equals(response.getRecord().getKey().toByteArray(), key)) {
                        throw new InvalidRecordException("answer is for another key");
                    }
                    validator.validate(key, value);
                    synchronized (values) {
                        values.add(value);
                        answers.put(peer, value);
                    }
                } catch (InvalidRecordException e) {
                    LOG.debug("{} answered GET_VALUE with an invalid record: {}", peer.id(), e.getMessage());
                }
            }
            return closerPeers(response);
        }), () -> {
            synchronized (values) {
                return values.size() >= config.quorum();
            }
        }).thenApply(closest -> {
            synchronized (values) {
                if (values.isEmpty()) {
                    return Optional.<byte[]>empty();
                }
                byte[] best;
                try {
                    best = values.get(validator.select(key, values));
                } catch (InvalidRecordException e) {
                    return Optional.<byte[]>empty();
                }
                correct(key, best, answers);
                return Optional.of(best);
            }
        });
    }

    /** Entry correction: peers that returned a worse record get the best one. */
    private void correct(byte[] key, byte[] best, Map<KadPeer, byte[]> answers) {
        Message put = KadMessages.putValue(key, best);
        answers.forEach((peer, value) -> {
            if (!Arrays.equals(value, best)) {
                request(peer, put).exceptionally(e -> null);
            }
        });
    }

    /**
     * Validates and stores the record locally, then PUTs it to the k peers nearest to its key.
     * Completes with how many of them stored it.
     *
     * @throws IllegalArgumentException (through the future) if the validator rejects the record
     */
    public CompletableFuture<Integer> putValue(byte[] key, byte[] value) {
        try {
            validator.validate(key, value);
        } catch (InvalidRecordException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("record rejected: " + e.getMessage()));
        }
        records.put(key, value, Instant.now(clock));
        Message put = KadMessages.putValue(key, value);
        return findClosestPeers(key).thenCompose(peers -> countSuccesses(peers, p -> request(p, put)));
    }

    /** Announces this node as a provider of {@code key} to the k nearest peers; completes with how many were told. */
    public CompletableFuture<Integer> provide(byte[] key) {
        KadPeer self = new KadPeer(local, localAddrs.get());
        providers.add(key, self);
        Message add = KadMessages.addProvider(key, self);
        return findClosestPeers(key).thenCompose(peers ->
            countSuccesses(peers, p -> connections.connect(p).thenCompose(c -> rpc.send(c, add))));
    }

    /** Up to {@code count} providers of {@code key}, the local store's first. */
    public CompletableFuture<List<KadPeer>> findProviders(byte[] key, int count) {
        Map<PeerId, KadPeer> found = new LinkedHashMap<>();
        providers.get(key).forEach(p -> found.putIfAbsent(p.id(), p));
        Message request = KadMessages.getProviders(key);
        return lookup(key, peer -> request(peer, request).thenApply(response -> {
            synchronized (found) {
                KadMessages.fromProto(response.getProviderPeersList()).forEach(p -> found.putIfAbsent(p.id(), p));
            }
            return closerPeers(response);
        }), () -> {
            synchronized (found) {
                return found.size() >= count;
            }
        }).thenApply(closest -> {
            synchronized (found) {
                return List.copyOf(found.values()).subList(0, Math.min(count, found.size()));
            }
        });
    }

    private CompletableFuture<List<KadPeer>> lookup(byte[] key, Function<KadPeer, CompletableFuture<List<KadPeer>>> query,
                                                    BooleanSupplier stop) {
        KadId target = KadId.ofKey(key);
        Lookup lookup = new Lookup(target, local, config.k(), config.alpha(), query, stop);
        CompletableFuture<List<KadPeer>> result = lookup.run(table.closest(target, config.k()));
        CompletableFuture.delayedExecutor(config.lookupTimeout().toNanos(), TimeUnit.NANOSECONDS)
            .execute(lookup::finishNow);
        return result;
    }

    /**
     * One request to {@code peer}. A peer that answers is a DHT server and enters the routing
     * table; one that cannot be reached or fails leaves it.
     */
    private CompletableFuture<Message> request(KadPeer peer, Message request) {
        return connections.connect(peer)
            .thenCompose((Connection c) -> rpc.request(c, request))
            .whenComplete((response, error) -> {
                if (error == null) {
                    table.seen(peer);
                } else {
                    LOG.debug("{} request to {} failed: {}", request.getType(), peer.id(), error.getMessage());
                    table.remove(peer.id());
                }
            });
    }

    private List<KadPeer> closerPeers(Message response) {
        return KadMessages.fromProto(response.getCloserPeersList());
    }

    private static <T> CompletableFuture<Integer> countSuccesses(List<KadPeer> peers,
                                                                 Function<KadPeer, CompletableFuture<T>> action) {
        AtomicInteger ok = new AtomicInteger();
        CompletableFuture<?>[] all = peers.stream()
            .map(p -> action.apply(p).thenRun(ok::incrementAndGet).exceptionally(e -> null))
            .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all).thenApply(v -> ok.get());
    }
}
