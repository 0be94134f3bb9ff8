package dev.hyphae.transport.libp2p.kad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.NoLeaks;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import io.netty.channel.nio.NioEventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ten Java DHT nodes over loopback TCP, joined through one bootstrap node. */
@ExtendWith(NoLeaks.class)
class KadDhtIT {

    private final SecureRandom random = new SecureRandom();
    private final NioEventLoopGroup group = new NioEventLoopGroup(2);
    private final List<KadTestNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(KadTestNode::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private KadTestNode start() throws Exception {
        KadTestNode node = new KadTestNode(group, random, KadConfig.hyphae());
        nodes.add(node);
        return node;
    }

    private List<KadTestNode> network(int size) throws Exception {
        KadTestNode bootstrap = start();
        for (int i = 1; i < size; i++) {
            KadTestNode node = start();
            int tableSize = node.dht.bootstrap(List.of(bootstrap.address())).get(30, TimeUnit.SECONDS);
            assertTrue(tableSize >= 1, "node " + i + " knows nobody after bootstrap");
        }
        return List.copyOf(nodes);
    }

    @Test
    void newcomerFindsAPeersAddressesThroughTheBootstrapNodeOnly() throws Exception {
        List<KadTestNode> net = network(10);
        KadTestNode newcomer = start();
        // the newcomer knows just the bootstrap node and performs no lookup of its own first
        newcomer.dht.addPeer(new KadPeer(net.get(0).peerId(), List.of(net.get(0).listener.address())));
        for (int i = 1; i < net.size(); i++) {
            KadTestNode target = net.get(i);
            Optional<KadPeer> found = newcomer.dht.findPeer(target.peerId()).get(30, TimeUnit.SECONDS);
            assertEquals(Optional.of(new KadPeer(target.peerId(), List.of(target.listener.address()))), found,
                "node " + i);
        }
    }

    @Test
    void everyNodeLearnsOfTheOthersThroughBootstrap() throws Exception {
        List<KadTestNode> net = network(10);
        for (KadTestNode node : net) {
            // the self-lookups run one after another, so the first nodes saw fewer; all saw several
            assertTrue(node.dht.routingTable().size() >= 3, node.peerId() + ": " + node.dht.routingTable());
        }
        // a refresh run keeps what the table has and asks again
        int before = net.get(1).dht.routingTable().size();
        assertTrue(net.get(1).dht.refresh(random).get(30, TimeUnit.SECONDS) >= before);
        List<KadPeer> closest = net.get(9).dht.findClosestPeers(net.get(4).peerId().toBytes()).get(30, TimeUnit.SECONDS);
        assertEquals(net.get(4).peerId(), closest.get(0).id(), "a peer is nearest to its own id");
        assertEquals(9, closest.size(), "all other nodes answered");
    }

    @Test
    void hyphaeRecordPutByOneNodeIsReadByAnother() throws Exception {
        List<KadTestNode> net = network(10);
        KadTestNode publisher = net.get(3);
        byte[] key = HyphaeRecord.key(publisher.peerId(), "addrs");
        byte[] v1 = HyphaeRecord.sign(publisher.key, "addrs", 1, "first".getBytes(StandardCharsets.UTF_8));
        int stored = publisher.dht.putValue(key, v1).get(30, TimeUnit.SECONDS);
        assertEquals(9, stored, "every other node is among the k nearest and stores it");
        assertArrayEquals(v1, net.get(7).dht.getValue(key).get(30, TimeUnit.SECONDS).orElseThrow());

        byte[] v2 = HyphaeRecord.sign(publisher.key, "addrs", 2, "second".getBytes(StandardCharsets.UTF_8));
        publisher.dht.putValue(key, v2).get(30, TimeUnit.SECONDS);
        assertEquals(2, HyphaeRecord.open(key, net.get(8).dht.getValue(key).get(30, TimeUnit.SECONDS).orElseThrow()).seq());
    }

    @Test
    void forgedRecordIsRefusedLocallyAndAbsentKeysAreNotFound() throws Exception {
        List<KadTestNode> net = network(5);
        PrivateKey mallory = PrivateKey.generate(random);
        byte[] key = HyphaeRecord.key(net.get(1).peerId(), "addrs");
        byte[] forged = HyphaeRecord.sign(mallory, "addrs", 99, new byte[] {1});
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> net.get(2).dht.putValue(key, forged).get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalArgumentException, e.toString());
        assertEquals(Optional.empty(), net.get(3).dht.getValue(key).get(30, TimeUnit.SECONDS).map(v -> v));
    }

    @Test
    void providerAnnouncedByOneNodeIsFoundByAnother() throws Exception {
        List<KadTestNode> net = network(8);
        byte[] key = {0x12, 0x20, 7, 7, 7};
        int told = net.get(2).dht.provide(key).get(30, TimeUnit.SECONDS);
        assertTrue(told >= 1);
        List<KadPeer> providers = net.get(6).dht.findProviders(key, 1).get(30, TimeUnit.SECONDS);
        assertEquals(List.of(new KadPeer(net.get(2).peerId(), List.of(net.get(2).listener.address()))), providers);
    }

    @Test
    void theProtocolIdSeparatesDhtNetworks() throws Exception {
        KadTestNode hyphae = start();
        KadTestNode ipfsA = new KadTestNode(group, random, KadConfig.standard());
        nodes.add(ipfsA);
        KadTestNode ipfsB = new KadTestNode(group, random, KadConfig.standard());
        nodes.add(ipfsB);
        assertEquals(KadConfig.STANDARD_PROTOCOL, ipfsA.dht.protocolId());
        assertEquals(0, (int) ipfsA.dht.bootstrap(List.of(hyphae.address())).get(30, TimeUnit.SECONDS),
            "a node of another DHT refuses the protocol, so it never enters the table");
        assertEquals(1, (int) ipfsB.dht.bootstrap(List.of(ipfsA.address())).get(30, TimeUnit.SECONDS));
    }
}
