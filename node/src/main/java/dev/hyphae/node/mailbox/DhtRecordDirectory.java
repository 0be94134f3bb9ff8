package dev.hyphae.node.mailbox;

import dev.hyphae.transport.libp2p.kad.HyphaeRecord;
import dev.hyphae.transport.libp2p.kad.InvalidRecordException;
import dev.hyphae.transport.libp2p.kad.KadDht;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.router.OnionAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Mailbox records in the Kademlia DHT, in Hyphae's own record namespace: key
 * {@code /hyphae/<peer ID>/mailboxes}, value a {@link HyphaeRecord} signed by the node's libp2p key
 * (the same Ed25519 key as its server name) with {@code seq} = the record's {@code ts} and the
 * record's signed JSON as data. The DHT's validator checks the outer signature; the inner record is
 * checked again against the server name when read.
 */
public final class DhtRecordDirectory implements RecordDirectory {
    static final String NAME = "mailboxes";

    private final KadDht dht;
    private final PrivateKey key;

    public DhtRecordDirectory(KadDht dht, PrivateKey key) {
        this.dht = Objects.requireNonNull(dht, "dht");
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public CompletableFuture<Void> publish(MailboxRecord record) {
        return dht.putValue(HyphaeRecord.key(key.peerId(), NAME), encode(key, record)).thenApply(stored -> null);
    }

    @Override
    public CompletableFuture<Optional<MailboxRecord>> find(String serverName) {
        byte[] dhtKey;
        try {
            dhtKey = HyphaeRecord.key(OnionAddress.parse(serverName).peerId(), NAME);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return dht.getValue(dhtKey).thenApply(value -> value.flatMap(bytes -> decode(dhtKey, bytes, serverName)));
    }

    /** The DHT value of {@code record}, signed with {@code key}. */
    static byte[] encode(PrivateKey key, MailboxRecord record) {
        return HyphaeRecord.sign(key, NAME, record.ts(), record.json().getBytes(StandardCharsets.UTF_8));
    }

    /** The record in a DHT value, if it is valid and about {@code serverName}. */
    static Optional<MailboxRecord> decode(byte[] dhtKey, byte[] value, String serverName) {
        try {
            HyphaeRecord outer = HyphaeRecord.open(dhtKey, value);
            return Optional.of(MailboxRecord.parse(new String(outer.data(), StandardCharsets.UTF_8), serverName));
        } catch (InvalidRecordException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
