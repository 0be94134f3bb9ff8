package dev.hyphae.transport.libp2p.kad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import io.netty.channel.nio.NioEventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The DHT against js-libp2p 3.3.11 with {@code @libp2p/kad-dht} 16.4.5 on Hyphae's protocol id:
 * a Java bootstrap node, and a Java node and a js node that know only the bootstrap node find each
 * other's addresses through it.
 */
class KadJsInteropIT {

    private final SecureRandom random = new SecureRandom();
    private final NioEventLoopGroup group = new NioEventLoopGroup(2);
    private KadTestNode bootstrap;
    private KadTestNode java;
    private JsKadPeer js;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(JsKadPeer.nodeAvailable(), "Node.js is not installed");
        bootstrap = new KadTestNode(group, random, KadConfig.hyphae());
        java = new KadTestNode(group, random, KadConfig.hyphae());
        js = JsKadPeer.start(KadConfig.HYPHAE_PROTOCOL);
        // js joins through the bootstrap node: identify and ping put each into the other's table
        assertEquals("DIAL-OK", js.command("DIAL " + bootstrap.address(), "DIAL-OK", 30));
        String table = js.command("TABLE " + bootstrap.peerId(), "TABLE-HAS", 30);
        assertTrue(!table.equals("TABLE-HAS 0"), "js did not add the Java bootstrap node: " + table);
        PeerId jsId = PeerId.parse(js.peerId());
        for (int i = 0; i < 100 && bootstrap.dht.routingTable().find(jsId).isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertTrue(bootstrap.dht.routingTable().find(jsId).isPresent(), "the bootstrap node did not add js");
        // the Java node only connects to the bootstrap node: it has never talked to js
        java.connections.connect(new KadPeer(bootstrap.peerId(), List.of(bootstrap.listener.address())))
            .get(30, TimeUnit.SECONDS);
        java.dht.addPeer(new KadPeer(bootstrap.peerId(), List.of(bootstrap.listener.address())));
        for (int i = 0; i < 100 && bootstrap.dht.routingTable().find(java.peerId()).isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertTrue(bootstrap.dht.routingTable().find(java.peerId()).isPresent(), "the bootstrap node did not add Java");
    }

    @AfterEach
    void stop() throws Exception {
        if (js != null) {
            js.close();
        }
        if (bootstrap != null) {
            bootstrap.close();
            java.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void javaFindsTheJsPeersAddressesThroughTheBootstrapNode() throws Exception {
        Multiaddr jsAddress = Multiaddr.parse(js.listenAddress());
        PeerId jsId = PeerId.parse(js.peerId());
        Optional<KadPeer> found = java.dht.findPeer(jsId).get(30, TimeUnit.SECONDS);
        assertTrue(found.isPresent(), "Java did not find js");
        assertTrue(found.get().addrs().contains(jsAddress.withoutPeerId()), found.get().toString());
    }

    @Test
    void hyphaeRecordPutByJavaIsStoredByJsAndServedBackToJavaAndReadByJs() throws Exception {
        byte[] key = HyphaeRecord.key(java.peerId(), "addrs");
        byte[] value = HyphaeRecord.sign(java.key, "addrs", 1, "hello js".getBytes(StandardCharsets.UTF_8));
        assertEquals(2, java.dht.putValue(key, value).get(30, TimeUnit.SECONDS), "bootstrap node and js stored it");

        // a Java node that knows only js reads the record from js's GET_VALUE answer
        KadTestNode reader = new KadTestNode(group, random, KadConfig.hyphae());
        try {
            Multiaddr jsAddress = Multiaddr.parse(js.listenAddress());
            reader.dht.addPeer(new KadPeer(PeerId.parse(js.peerId()), List.of(jsAddress.withoutPeerId())));
            assertArrayEquals(value, reader.dht.getValue(key).get(30, TimeUnit.SECONDS).orElseThrow());
        } finally {
            reader.close();
        }
        assertEquals("VALUE " + HexFormat.of().formatHex(value), js.command("GET " + HexFormat.of().formatHex(key), "VALUE", 40));
    }

    @Test
    void providersAnnouncedOnEitherSideAreFoundOnTheOther() throws Exception {
        byte[] jsContent = multihash(1);
        assertEquals("PROVIDE-OK", js.command("PROVIDE " + HexFormat.of().formatHex(jsContent), "PROVIDE-OK", 40));
        List<KadPeer> providers = java.dht.findProviders(jsContent, 1).get(30, TimeUnit.SECONDS);
        assertEquals(List.of(PeerId.parse(js.peerId())), providers.stream().map(KadPeer::id).toList());

        byte[] javaContent = multihash(2);
        assertTrue(java.dht.provide(javaContent).get(30, TimeUnit.SECONDS) >= 1);
        String answer = js.command("FINDPROV " + HexFormat.of().formatHex(javaContent), "PROVIDERS", 40);
        assertEquals("PROVIDERS " + java.peerId().toBase58(), answer);
    }

    /** A sha2-256 multihash, as provider keys are. */
    private static byte[] multihash(int seed) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(new byte[] {(byte) seed});
        byte[] key = new byte[34];
        key[0] = 0x12;
        key[1] = 0x20;
        System.arraycopy(digest, 0, key, 2, 32);
        return key;
    }

    @Test
    void jsAnswersJavaLookupsAsADhtServer() throws Exception {
        List<KadPeer> closest = java.dht.findClosestPeers(new byte[] {1, 2, 3}).get(30, TimeUnit.SECONDS);
        assertEquals(2, closest.size(), "the bootstrap node and js both answered FIND_NODE: " + closest);
        assertTrue(closest.stream().anyMatch(p -> p.id().equals(PeerId.parse(js.peerId()))));
    }

    @Test
    void jsFindsTheJavaPeersAddressesThroughTheBootstrapNode() throws Exception {
        String answer = js.command("FIND " + java.peerId().toBase58(), "FOUND", 40);
        assertTrue(answer.startsWith("FOUND "), answer);
        assertTrue(answer.contains(java.listener.address().toString()), answer);
    }
}
