package dev.hyphae.transport.libp2p.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.connection.JsLibp2pPeer;
import dev.hyphae.transport.libp2p.identify.IdentifyMessage;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.ping.PingProtocol;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The host against a js-libp2p peer: dialling, ping and identify both ways. */
class Libp2pHostJsInteropIT {

    private static JsLibp2pPeer js;
    private static Libp2pHost host;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(JsLibp2pPeer.nodeAvailable(), "node is not installed");
        js = JsLibp2pPeer.start();
        SecureRandom random = new SecureRandom();
        host = new Libp2pHost(PrivateKey.generate(random),
            HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of()), random, Clock.systemUTC());
        host.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (host != null) {
            host.close();
        }
        if (js != null) {
            js.close();
        }
    }

    @Test
    void hostPingsAndIdentifiesTheJsPeer() throws Exception {
        Multiaddr jsAddress = Multiaddr.parse(js.listenAddress());
        PeerId jsPeer = PeerId.parse(jsAddress.valueOf(dev.hyphae.transport.libp2p.multiaddr.Protocol.P2P).orElseThrow());

        Connection connection = host.dial(jsAddress).get(20, TimeUnit.SECONDS);
        Duration rtt = host.ping(connection).get(20, TimeUnit.SECONDS);
        IdentifyMessage identify = host.identify(connection).get(20, TimeUnit.SECONDS);

        assertFalse(rtt.isNegative());
        assertEquals(jsPeer, connection.remotePeer());
        assertTrue(identify.protocols().contains(PingProtocol.ID), identify.protocols().toString());
        assertTrue(host.peerStore().get(jsPeer).isPresent(), "js peer not in the peer store");
    }

    @Test
    void jsPingsTheHost() throws Exception {
        js.send("PING " + host.addresses().get(0));

        String answer = js.expectAny("PING-OK", "PING-ERR");

        assertTrue(answer.startsWith("PING-OK"), answer);
    }
}
