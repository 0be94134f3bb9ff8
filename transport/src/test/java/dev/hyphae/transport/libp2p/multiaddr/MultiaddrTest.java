package dev.hyphae.transport.libp2p.multiaddr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultiaddrTest {

    private static final String PEER = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";

    @Test
    void encodesIp4TcpAsInTheMultiaddrSpec() {
        Multiaddr a = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
        // 04 = ip4, 7f000001, 06 = tcp, 0fa1 = 4001
        assertArrayEquals(HexFormat.of().parseHex("047f000001060fa1"), a.toBytes());
        assertEquals(a, Multiaddr.fromBytes(a.toBytes()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/ip4/1.2.3.4/tcp/0",
        "/ip6/::1/tcp/4001",
        "/ip6/2001:db8::1:0:0:1/udp/443/quic-v1",
        "/dns4/example.com/tcp/443/wss",
        "/dns6/example.com/tcp/1",
        "/dns/example.com/tcp/4001/p2p/" + PEER,
        "/ip4/10.0.0.1/tcp/4001/p2p/" + PEER + "/p2p-circuit/p2p/" + PEER,
        "/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N",
        "/onion3/vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd:1234",
        "/ip4/127.0.0.1/udp/4001/quic-v1/webtransport/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
        "/ip4/127.0.0.1/udp/4001/webrtc-direct/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
        "/ip6zone/eth0/ip6/fe80::1/tcp/1",
        "/dns/example.com/tcp/443/tls/sni/example.com/http",
        "/ip4/1.2.3.4/tcp/1/https",
        "/ip4/1.2.3.4/udp/1/quic/p2p/" + PEER + "/p2p-circuit/webrtc"
    })
    void roundTripsTextAndBytes(String text) {
        Multiaddr a = Multiaddr.parse(text);
        assertEquals(text, a.toString());
        Multiaddr b = Multiaddr.fromBytes(a.toBytes());
        assertEquals(a, b);
        assertEquals(text, b.toString());
    }

    @Test
    void printsIp6InCanonicalForm() {
        assertEquals("/ip6/2001:db8::1/tcp/1", Multiaddr.parse("/ip6/2001:0DB8:0:0:0:0:0:1/tcp/1").toString());
        assertEquals("/ip6/::/tcp/1", Multiaddr.parse("/ip6/0:0:0:0:0:0:0:0/tcp/1").toString());
    }

    @Test
    void acceptsCidFormOfPeerIdAndPrintsBase58() {
        String cid = PeerIdText.toCid(PeerIdText.decode(PEER));
        assertEquals("/p2p/" + PEER, Multiaddr.parse("/p2p/" + cid).toString());
    }

    @Test
    void givesValuesAndStripsPeerId() {
        Multiaddr a = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + PEER);
        assertEquals(Optional.of("4001"), a.valueOf(Protocol.TCP));
        assertEquals(Optional.of(PEER), a.valueOf(Protocol.P2P));
        assertEquals(Optional.empty(), a.valueOf(Protocol.UDP));
        assertEquals(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"), a.withoutPeerId());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "/", "ip4/1.2.3.4", "/ip4", "/ip4/1.2.3", "/ip4/1.2.3.256", "/ip4/01.2.3.4", "/ip4/a.b.c.d",
        "/tcp/65536", "/tcp/-1", "/tcp/12a", "/ip6/1.2.3.4", "/ip6/localhost", "/ip6/::1%eth0",
        "/foo/1", "/ip4/1.2.3.4//tcp/1", "/p2p/notapeerid", "/p2p/Qm", "/dns/", "/dns4/a b",
        "/onion3/abc:80", "/p2p-circuit/x", "/certhash/uEiD=", "/certhash/xyz", "/certhash/uAQ"
    })
    void rejectsBadTextWithMultiaddrException(String text) {
        assertThrows(MultiaddrException.class, () -> Multiaddr.parse(text));
    }

    @Test
    void rejectsBadBytesWithMultiaddrException() {
        HexFormat hex = HexFormat.of();
        for (String bad : new String[] {"", "04", "047f00", "06", "ff", "ffffffffffffffffffffff",
            "a503", "a50322", "3503616263ff", "04010203040610"}) {
            assertThrows(MultiaddrException.class, () -> Multiaddr.fromBytes(hex.parseHex(bad)), bad);
        }
    }

    @Test
    void fuzzedBytesEitherParseToAStableAddressOrThrowMultiaddrException() {
        Random random = new Random(7);
        byte[][] seeds = {
            Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + PEER).toBytes(),
            Multiaddr.parse("/dns4/example.com/udp/1/quic-v1").toBytes(),
            Multiaddr.parse("/ip6/::1/tcp/1/p2p-circuit").toBytes()
        };
        for (int i = 0; i < 50_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(40)];
                random.nextBytes(input);
            } else {
                input = seeds[random.nextInt(seeds.length)].clone();
                int flips = 1 + random.nextInt(3);
                for (int f = 0; f < flips && input.length > 0; f++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
                if (random.nextBoolean()) {
                    input = java.util.Arrays.copyOf(input, random.nextInt(input.length + 1));
                }
            }
            try {
                Multiaddr a = Multiaddr.fromBytes(input);
                assertEquals(a, Multiaddr.parse(a.toString()));
            } catch (MultiaddrException expected) {
                // clear rejection
            }
        }
    }
}
