package dev.hyphae.transport.libp2p.host;

import dev.hyphae.transport.libp2p.identify.IdentifyMessage;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PeerRecord;
import dev.hyphae.transport.libp2p.peer.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the host knows about peers: their addresses (each until it expires), protocols, public key,
 * latest verified signed peer record, and when they were last seen. Learned from identify, identify
 * push and discovery (mDNS); kept across restarts through a {@link PeerPersistence}. Thread-safe.
 */
public final class PeerStore {

    /**
     * How long addresses a peer told us itself (identify) stay dialable: a week, so that a node
     * that was offline for days still finds the peers it knew.
     */
    public static final Duration IDENTIFIED_TTL = Duration.ofDays(7);

    /** A lastSeen that moved less than this is not written again, so frequent sightings cost no writes. */
    private static final Duration LAST_SEEN_GRANULARITY = Duration.ofMinutes(1);

    /** An address of a peer and the moment it stops being worth dialling. */
    public record PeerAddress(Multiaddr address, Instant expires) {
        public PeerAddress {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(expires, "expires");
        }
    }

    /** A signed peer record that verified, with the envelope bytes it came in (to pass on unchanged). */
    public record SignedRecord(PeerRecord record, byte[] envelope) {
        public SignedRecord {
            Objects.requireNonNull(record, "record");
            envelope = envelope.clone();
        }

        @Override
        public byte[] envelope() {
            return envelope.clone();
        }

        /**
         * Opens and verifies {@code envelope}.
         *
         * @throws IllegalArgumentException if it is not a valid signed peer record
         */
        public static SignedRecord open(byte[] envelope) {
            return new SignedRecord(PeerRecord.open(envelope), envelope);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SignedRecord other && record.equals(other.record) && Arrays.equals(envelope, other.envelope);
        }

        @Override
        public int hashCode() {
            return 31 * record.hashCode() + Arrays.hashCode(envelope);
        }
    }

    /** One peer as known now. */
    public record PeerInfo(PeerId peerId, List<PeerAddress> addresses, List<String> protocols,
                           Optional<PublicKey> publicKey, Optional<SignedRecord> signedRecord, Instant lastSeen) {
        public PeerInfo {
            Objects.requireNonNull(peerId, "peerId");
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(signedRecord, "signedRecord");
            Objects.requireNonNull(lastSeen, "lastSeen");
            addresses = List.copyOf(addresses);
            protocols = List.copyOf(protocols);
            if (publicKey.isPresent() && !peerId.matches(publicKey.get())) {
                throw new IllegalArgumentException("public key does not belong to " + peerId);
            }
            if (signedRecord.isPresent() && !signedRecord.get().record().peerId().equals(peerId)) {
                throw new IllegalArgumentException("signed peer record is not about " + peerId);
            }
        }

        /** The addresses alone, in the order they were learned. */
        public List<Multiaddr> addrs() {
            return addresses.stream().map(PeerAddress::address).toList();
        }

        PeerInfo withoutAddressesExpiredAt(Instant now) {
            List<PeerAddress> live = addresses.stream().filter(a -> a.expires().isAfter(now)).toList();
            return live.size() == addresses.size() ? this
                : new PeerInfo(peerId, live, protocols, publicKey, signedRecord, lastSeen);
        }

        /**
         * Whether the two differ in more than when the peer was last seen and how long its addresses
         * stay valid (those move with every sighting).
         */
        boolean differsFrom(PeerInfo other) {
            return !addrs().equals(other.addrs()) || !protocols.equals(other.protocols)
                || !publicKey.equals(other.publicKey) || !signedRecord.equals(other.signedRecord);
        }
    }

    private final Clock clock;
    private final PeerPersistence persistence;
    private final Map<PeerId, PeerInfo> peers = new ConcurrentHashMap<>();
    private final Map<PeerId, PeerInfo> persisted = new ConcurrentHashMap<>();

    /** A peer store in memory only. */
    public PeerStore(Clock clock) {
        this(clock, PeerPersistence.none());
    }

    /** A peer store that starts with what {@code persistence} saved, less expired addresses, and saves every change. */
    public PeerStore(Clock clock, PeerPersistence persistence) {
        this.clock = Objects.requireNonNull(clock);
        this.persistence = Objects.requireNonNull(persistence);
        Instant now = clock.instant();
        for (PeerInfo saved : persistence.load()) {
            PeerInfo live = saved.withoutAddressesExpiredAt(now);
            peers.put(live.peerId(), live);
            persisted.put(live.peerId(), saved);
        }
    }

    /**
     * Records an identify answer from {@code peer}: its addresses replace those known, with
     * {@link #IDENTIFIED_TTL}. A verified signed peer record's addresses are preferred to the plain
     * listen addresses, as the peer vouches for them; a record older than the one kept is ignored.
     */
    public PeerInfo update(PeerId peer, IdentifyMessage message) {
        return merge(peer, message, false);
    }

    /**
     * Applies an identify push from {@code peer}. A push may carry only what changed, and protobuf
     * cannot tell an empty list from a missing one, so empty addresses or protocols leave the known
     * ones as they are.
     */
    public PeerInfo applyPush(PeerId peer, IdentifyMessage message) {
        return merge(peer, message, true);
    }

    private PeerInfo merge(PeerId peer, IdentifyMessage message, boolean push) {
        Instant now = clock.instant();
        PeerInfo info = peers.compute(peer, (id, old) -> {
            Optional<SignedRecord> kept = old == null ? Optional.empty() : old.signedRecord();
            Optional<SignedRecord> offered = message.signedPeerRecord()
                .filter(r -> r.peerId().equals(peer))
                .flatMap(r -> message.signedPeerRecordEnvelope().map(bytes -> new SignedRecord(r, bytes)));
            Optional<SignedRecord> record = offered.isPresent()
                && (kept.isEmpty() || offered.get().record().seq() >= kept.get().record().seq()) ? offered : kept;
            boolean newRecord = offered.isPresent() && record.equals(offered);
            List<Multiaddr> told = newRecord && !offered.get().record().addresses().isEmpty()
                ? offered.get().record().addresses()
                : message.listenAddrs();
            List<PeerAddress> addresses;
            if (told.isEmpty() && (push || offered.isPresent()) && old != null) {
                addresses = old.withoutAddressesExpiredAt(now).addresses();
            } else {
                Instant expires = now.plus(IDENTIFIED_TTL);
                addresses = told.stream().distinct().map(a -> new PeerAddress(a.withoutPeerId(), expires)).toList();
            }
            List<String> protocols = push && message.protocols().isEmpty() && old != null
                ? old.protocols() : message.protocols();
            Optional<PublicKey> key = message.publicKey().or(() -> old == null ? Optional.empty() : old.publicKey());
            return new PeerInfo(peer, addresses, protocols, key, record, now);
        });
        persist(info);
        return info;
    }

    /**
     * Records addresses found for {@code peer} by discovery, each good for {@code ttl}; addresses
     * already known keep the later of the two expiries.
     */
    public PeerInfo addAddresses(PeerId peer, List<Multiaddr> found, Duration ttl) {
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        PeerInfo info = peers.compute(peer, (id, old) -> {
            Map<Multiaddr, Instant> merged = new LinkedHashMap<>();
            if (old != null) {
                old.withoutAddressesExpiredAt(now).addresses().forEach(a -> merged.put(a.address(), a.expires()));
            }
            for (Multiaddr address : found) {
                merged.merge(address.withoutPeerId(), expires, (a, b) -> a.isAfter(b) ? a : b);
            }
            List<PeerAddress> addresses = new ArrayList<>();
            merged.forEach((a, e) -> addresses.add(new PeerAddress(a, e)));
            return old == null
                ? new PeerInfo(peer, addresses, List.of(), peer.publicKey(), Optional.empty(), now)
                : new PeerInfo(peer, addresses, old.protocols(), old.publicKey(), old.signedRecord(), now);
        });
        persist(info);
        return info;
    }

    /** What is known of {@code peer}, without addresses that have expired. */
    public Optional<PeerInfo> get(PeerId peer) {
        return Optional.ofNullable(peers.get(peer)).map(i -> i.withoutAddressesExpiredAt(clock.instant()));
    }

    /** Every known peer, without expired addresses. */
    public List<PeerInfo> all() {
        Instant now = clock.instant();
        return peers.values().stream().map(i -> i.withoutAddressesExpiredAt(now)).toList();
    }

    public int size() {
        return peers.size();
    }

    private void persist(PeerInfo info) {
        PeerInfo before = persisted.get(info.peerId());
        if (before != null && !info.differsFrom(before)
                && Duration.between(before.lastSeen(), info.lastSeen()).compareTo(LAST_SEEN_GRANULARITY) < 0) {
            return;
        }
        persisted.put(info.peerId(), info);
        persistence.save(info);
    }
}
