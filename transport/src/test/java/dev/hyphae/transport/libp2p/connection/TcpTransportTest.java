package dev.hyphae.transport.libp2p.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.MultiaddrException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TcpTransportTest {

    private static final String PEER = "/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";

    @Test
    void socketAddressComesFromIpAndTcpWithOrWithoutPeerId() {
        assertEquals(new InetSocketAddress("127.0.0.1", 4001),
            TcpTransport.toSocketAddress(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001" + PEER), true));
        assertEquals(new InetSocketAddress("::1", 5),
            TcpTransport.toSocketAddress(Multiaddr.parse("/ip6/::1/tcp/5"), false));
        assertEquals(Multiaddr.parse("/ip6/::1/tcp/5"), TcpTransport.toMultiaddr(new InetSocketAddress("::1", 5)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ip4/127.0.0.1/udp/1", "/ip4/127.0.0.1", "/ip4/127.0.0.1/tcp/1/ws", "/tcp/1/ip4/1.2.3.4",
        "/p2p-circuit/tcp/1", "/ip4/127.0.0.1/tcp/1" + PEER + "/p2p-circuit"})
    void nonTcpAddressesAreRejected(String text) {
        assertThrows(MultiaddrException.class, () -> TcpTransport.toSocketAddress(Multiaddr.parse(text), true));
    }

    @Test
    void listenAddressMayNotCarryAPeerId() {
        assertThrows(MultiaddrException.class,
            () -> TcpTransport.toSocketAddress(Multiaddr.parse("/ip4/127.0.0.1/tcp/1" + PEER), false));
    }
}
