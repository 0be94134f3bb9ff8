package dev.hyphae.transport.libp2p.kad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.kad.proto.KadProto.Message;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class KadServerTest {

    private final Random random = new Random(99);
    private final PeerId local = KadTestPeers.peerId(random);
    private final List<Multiaddr> localAddrs = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/7000"));
    private final RoutingTableTest.MutableClock clock = new RoutingTableTest.MutableClock();
    private final RoutingTable table = new RoutingTable(local, 20, Duration.ofMinutes(10), clock,
        p -> CompletableFuture.completedFuture(true));
    private final MemoryRecordStore records = new MemoryRecordStore(100, Duration.ofHours(36), clock);
    private final ProviderStore providers = new ProviderStore(clock, Duration.ofHours(48), Duration.ofMinutes(30), 100, 20);
    private final KadServer server = new KadServer(local, () -> localAddrs, table, NamespacedValidator.hyphae(),
        records, providers, clock, 20);

    private List<KadPeer> fill(int n) {
        List<KadPeer> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            KadPeer p = KadTestPeers.peer(random, 5000 + i);
            if (table.seen(p)) {
                peers.add(p);
            }
        }
        return peers;
    }

    @Test
    void findNodeAnswersTheKClosestPeersWithoutTheAsker() throws Exception {
        List<KadPeer> peers = fill(50);
        KadPeer asker = peers.get(0);
        byte[] target = asker.id().toBytes(); // the asker is the nearest of all to its own id
        Message response = server.handle(asker.id(), KadMessages.findNode(target)).orElseThrow();
        List<KadPeer> closer = KadMessages.fromProto(response.getCloserPeersList());
        assertEquals(20, closer.size());
        assertFalse(closer.stream().anyMatch(p -> p.id().equals(asker.id())));
        List<KadPeer> expected = new ArrayList<>(table.closest(KadId.ofKey(target), 21));
        expected.remove(asker);
        assertEquals(expected, closer);
        assertEquals(Message.MessageType.FIND_NODE, response.getType());
    }

    @Test
    void findNodeForOurOwnIdIncludesOurselvesWithOurAddresses() throws Exception {
        fill(5);
        Message response = server.handle(KadTestPeers.peerId(random), KadMessages.findNode(local.toBytes())).orElseThrow();
        KadPeer first = KadMessages.fromProto(response.getCloserPeersList()).get(0);
        assertEquals(new KadPeer(local, localAddrs), first);
    }

    @Test
    void putThenGetReturnsTheRecordAndOlderPutsDoNotOverwrite() throws Exception {
        PrivateKey alice = KadTestPeers.key(random);
        byte[] key = HyphaeRecord.key(alice.peerId(), "addrs");
        byte[] v2 = HyphaeRecord.sign(alice, "addrs", 2, "new".getBytes(StandardCharsets.UTF_8));
        byte[] v1 = HyphaeRecord.sign(alice, "addrs", 1, "old".getBytes(StandardCharsets.UTF_8));
        Message put = KadMessages.putValue(key, v2);
        assertEquals(put, server.handle(alice.peerId(), put).orElseThrow(), "PUT_VALUE is echoed");
        server.handle(alice.peerId(), KadMessages.putValue(key, v1));
        Message got = server.handle(alice.peerId(), KadMessages.getValue(key)).orElseThrow();
        assertArrayEquals(v2, got.getRecord().getValue().toByteArray());
        assertArrayEquals(key, got.getRecord().getKey().toByteArray());
        assertFalse(got.getRecord().getTimeReceived().isEmpty());
    }

    @Test
    void storedRecordsAreForgottenAfterTheirMaximumAge() throws Exception {
        PrivateKey alice = KadTestPeers.key(random);
        byte[] key = HyphaeRecord.key(alice.peerId(), "addrs");
        server.handle(alice.peerId(), KadMessages.putValue(key, HyphaeRecord.sign(alice, "addrs", 1, new byte[] {1})));
        clock.advance(Duration.ofHours(35));
        assertTrue(server.handle(alice.peerId(), KadMessages.getValue(key)).orElseThrow().hasRecord());
        clock.advance(Duration.ofHours(2));
        assertFalse(server.handle(alice.peerId(), KadMessages.getValue(key)).orElseThrow().hasRecord());
    }

    @Test
    void invalidOrForeignNamespaceRecordsAreRefused() {
        PrivateKey alice = KadTestPeers.key(random);
        PrivateKey mallory = KadTestPeers.key(random);
        byte[] key = HyphaeRecord.key(alice.peerId(), "addrs");
        assertThrows(KadProtocolException.class, () ->
            server.handle(mallory.peerId(), KadMessages.putValue(key, HyphaeRecord.sign(mallory, "addrs", 1, new byte[0]))));
        assertThrows(KadProtocolException.class, () ->
            server.handle(mallory.peerId(), KadMessages.putValue("/ipns/x".getBytes(StandardCharsets.UTF_8), new byte[] {1})));
        assertEquals(0, records.size());
    }

    @Test
    void requestsWithoutKeyOrRecordAreRefused() {
        PeerId from = KadTestPeers.peerId(random);
        assertThrows(KadProtocolException.class, () ->
            server.handle(from, Message.newBuilder().setType(Message.MessageType.FIND_NODE).build()));
        assertThrows(KadProtocolException.class, () -> server.handle(from, KadMessages.getValue(new byte[0])));
        assertThrows(KadProtocolException.class, () -> server.handle(from,
            Message.newBuilder().setType(Message.MessageType.PUT_VALUE).setKey(com.google.protobuf.ByteString.copyFromUtf8("/hyphae/x")).build()));
    }

    @Test
    void addProviderStoresOnlyTheSenderAndGetProvidersReturnsItUntilExpiry() throws Exception {
        KadPeer provider = KadTestPeers.peer(random, 6000);
        KadPeer other = KadTestPeers.peer(random, 6001);
        byte[] key = {0x12, 0x20, 1, 2, 3};
        assertTrue(server.handle(provider.id(), KadMessages.addProvider(key, provider)).isEmpty(), "ADD_PROVIDER has no answer");
        server.handle(provider.id(), KadMessages.addProvider(key, other));
        Message got = server.handle(other.id(), KadMessages.getProviders(key)).orElseThrow();
        assertEquals(List.of(provider), KadMessages.fromProto(got.getProviderPeersList()));
        clock.advance(Duration.ofHours(1));
        got = server.handle(other.id(), KadMessages.getProviders(key)).orElseThrow();
        assertEquals(List.of(new KadPeer(provider.id(), List.of())), KadMessages.fromProto(got.getProviderPeersList()),
            "addresses are not handed out after their time to live");
        clock.advance(Duration.ofHours(48));
        got = server.handle(other.id(), KadMessages.getProviders(key)).orElseThrow();
        assertEquals(0, got.getProviderPeersCount());
    }

    @Test
    void deprecatedPingIsAnswered() throws Exception {
        Message ping = Message.newBuilder().setType(Message.MessageType.PING).build();
        assertEquals(Message.MessageType.PING, server.handle(local, ping).orElseThrow().getType());
    }
}
