package dev.hyphae.transport.libp2p.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservedAddrsTest {

    private static Multiaddr m(String s) {
        return Multiaddr.parse(s);
    }

    @Test
    void newestObservationComesFirstAndRepeatsMoveToTheFront() {
        ObservedAddrs observed = new ObservedAddrs(8);
        observed.observed(false, m("/ip4/192.0.2.10/tcp/4001"));
        observed.observed(false, m("/ip4/198.51.100.7/tcp/4001"));
        observed.observed(false, m("/ip4/192.0.2.10/tcp/4001"));

        assertEquals(List.of(m("/ip4/192.0.2.10/tcp/4001"), m("/ip4/198.51.100.7/tcp/4001")), observed.addrs());
    }

    @Test
    void onlyTheNewestMaxAreKept() {
        ObservedAddrs observed = new ObservedAddrs(2);
        observed.observed(false, m("/ip4/192.0.2.1/tcp/1"));
        observed.observed(false, m("/ip4/192.0.2.2/tcp/2"));
        observed.observed(false, m("/ip4/192.0.2.3/tcp/3"));

        assertEquals(List.of(m("/ip4/192.0.2.3/tcp/3"), m("/ip4/192.0.2.2/tcp/2")), observed.addrs());
    }

    @Test
    void observationsOverRelaysAndOtherThanIpAndTcpAreIgnoredAndPeerIdsStripped() {
        ObservedAddrs observed = new ObservedAddrs(8);
        observed.observed(true, m("/ip4/192.0.2.1/tcp/1"));
        observed.observed(false, m("/ip4/192.0.2.2/udp/2"));
        observed.observed(false, m("/dns4/example.org/tcp/3"));
        String peer = PrivateKey.generate(new SecureRandom()).peerId().toBase58();
        observed.observed(false, m("/ip6/2001:db8::1/tcp/4/p2p/" + peer));

        assertEquals(List.of(m("/ip6/2001:db8::1/tcp/4")), observed.addrs());
    }

    @Test
    void aMaxBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ObservedAddrs(0));
    }
}
