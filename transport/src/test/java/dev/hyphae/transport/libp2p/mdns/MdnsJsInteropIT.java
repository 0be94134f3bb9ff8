package dev.hyphae.transport.libp2p.mdns;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hyphae.transport.libp2p.connection.JsLibp2pPeer;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Java host and a js-libp2p peer with {@code @libp2p/mdns} find each other by multicast on the
 * loopback interface, on a free port rather than 5353: each parses the other's answers, and they
 * connect.
 */
class MdnsJsInteropIT {

    private final SecureRandom random = new SecureRandom();

    @Test
    void javaAndJsPeersDiscoverEachOtherOnLoopback() throws Exception {
        assumeTrue(JsLibp2pPeer.nodeAvailable(), "node is not installed");
        int port;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        MdnsConfig mdns = MdnsConfig.defaults(random).withGroup(new InetSocketAddress("224.0.0.251", port))
            .withQueryInterval(Duration.ofMillis(500));
        HostConfig config = HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of())
            .withMdns(mdns);
        try (Libp2pHost host = new Libp2pHost(PrivateKey.generate(random), config, random, Clock.systemUTC());
             JsLibp2pPeer js = JsLibp2pPeer.start("mdns-peer.mjs", String.valueOf(port))) {
            host.start();
            PeerId jsPeer = PeerId.parse(Multiaddr.parse(js.listenAddress()).valueOf(
                dev.hyphae.transport.libp2p.multiaddr.Protocol.P2P).orElseThrow());

            String discovered = js.expectAny(30, "DISCOVERED " + host.peerId().toBase58());
            assertTrue(discovered.contains(host.addresses().get(0).withoutPeerId().toString()), discovered);

            for (int i = 0; i < 200 && host.peerStore().get(jsPeer).isEmpty(); i++) {
                Thread.sleep(50);
            }
            assertTrue(host.peerStore().get(jsPeer).isPresent(), "the Java host never heard of the js peer");
            assertTrue(host.peerStore().get(jsPeer).orElseThrow().addrs()
                .contains(Multiaddr.parse(js.listenAddress()).withoutPeerId()));
            for (int i = 0; i < 200 && host.connection(jsPeer).isEmpty(); i++) {
                Thread.sleep(50);
            }
            assertTrue(host.connection(jsPeer).isPresent(), "the peers never connected");
        }
    }
}
