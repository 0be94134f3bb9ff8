package dev.hyphae.transport.libp2p.mdns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.NoLeaks;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * mDNS over real sockets on the loopback interface. The group's port is a free one rather than
 * 5353, so that runs do not hear other mDNS responders on the machine or each other.
 */
@ExtendWith(NoLeaks.class)
class MdnsDiscoveryIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final SecureRandom random = new SecureRandom();
    private EventLoopGroup group;
    private NetworkInterface loopback;
    private InetSocketAddress testGroup;

    @BeforeEach
    void setUp() throws Exception {
        group = new NioEventLoopGroup(1);
        loopback = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        try (DatagramSocket probe = new DatagramSocket(0)) {
            testGroup = new InetSocketAddress("224.0.0.251", probe.getLocalPort());
        }
    }

    @AfterEach
    void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private MdnsConfig config() {
        return MdnsConfig.defaults(random).withGroup(testGroup).withQueryInterval(Duration.ofMillis(500));
    }

    private static Multiaddr addressOf(PeerId peer, int port) {
        return Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port + "/p2p/" + peer.toBase58());
    }

    @Test
    void twoNodesOnLoopbackDiscoverEachOther() throws Exception {
        PeerId a = PrivateKey.generate(random).peerId();
        PeerId b = PrivateKey.generate(random).peerId();
        BlockingQueue<DiscoveredPeer> heardByA = new LinkedBlockingQueue<>();
        BlockingQueue<DiscoveredPeer> heardByB = new LinkedBlockingQueue<>();
        try (MdnsDiscovery discoveryA = new MdnsDiscovery(config(), loopback, a, () -> List.of(addressOf(a, 4101)),
                heardByA::add, group);
             MdnsDiscovery discoveryB = new MdnsDiscovery(config(), loopback, b, () -> List.of(addressOf(b, 4102)),
                heardByB::add, group)) {
            discoveryA.start();
            discoveryB.start();

            DiscoveredPeer foundByA = heardByA.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            DiscoveredPeer foundByB = heardByB.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            assertEquals(new DiscoveredPeer(b, List.of(addressOf(b, 4102).withoutPeerId()), Duration.ofSeconds(120)),
                foundByA);
            assertEquals(new DiscoveredPeer(a, List.of(addressOf(a, 4101).withoutPeerId()), Duration.ofSeconds(120)),
                foundByB);
            assertTrue(heardByA.stream().noneMatch(p -> p.peerId().equals(a)), "A reported itself");
        }
    }

    @Test
    void aUnicastQueryFromAnotherPortGetsAUnicastAnswerWithItsId() throws Exception {
        PeerId self = PrivateKey.generate(random).peerId();
        try (MdnsDiscovery discovery = new MdnsDiscovery(config(), loopback, self,
                () -> List.of(addressOf(self, 4103)), p -> { }, group);
             DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            discovery.start();
            client.setSoTimeout((int) WAIT.toMillis());

            byte[] query = encode(MdnsMessages.query(null, new InetSocketAddress("127.0.0.1", discovery.port()),
                MdnsConfig.SERVICE_NAME), 0x1234);
            client.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), discovery.port()));
            byte[] buffer = new byte[9000];
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            client.receive(answer);

            EmbeddedChannel decoder = new EmbeddedChannel(new MdnsDecoder());
            decoder.writeInbound(new io.netty.channel.socket.DatagramPacket(
                Unpooled.copiedBuffer(buffer, 0, answer.getLength()),
                (InetSocketAddress) client.getLocalSocketAddress(), (InetSocketAddress) answer.getSocketAddress()));
            DatagramDnsResponse response = decoder.readInbound();
            try {
                assertEquals(0x1234, response.id());
                assertEquals(List.of(new DiscoveredPeer(self, List.of(addressOf(self, 4103).withoutPeerId()),
                    Duration.ofSeconds(120))), MdnsMessages.peersIn(response, MdnsConfig.SERVICE_NAME));
            } finally {
                response.release();
                decoder.finishAndReleaseAll();
            }
        }
    }

    @Test
    void garbageOnTheSocketIsDroppedAndDiscoveryGoesOn() throws Exception {
        PeerId self = PrivateKey.generate(random).peerId();
        try (MdnsDiscovery discovery = new MdnsDiscovery(config(), loopback, self,
                () -> List.of(addressOf(self, 4104)), p -> { }, group);
             DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            discovery.start();
            client.setSoTimeout((int) WAIT.toMillis());
            byte[] garbage = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
            client.send(new DatagramPacket(garbage, garbage.length, InetAddress.getLoopbackAddress(), discovery.port()));
            byte[] query = encode(MdnsMessages.query(null, new InetSocketAddress("127.0.0.1", discovery.port()),
                MdnsConfig.SERVICE_NAME), 7);
            client.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), discovery.port()));
            DatagramPacket answer = new DatagramPacket(new byte[9000], 9000);
            client.receive(answer);
            assertTrue(answer.getLength() > 12, "no answer after garbage");
        }
    }

    /** The query's bytes with {@code id} in place of mDNS's 0, as a simple resolver sends it. */
    private static byte[] encode(DatagramDnsQuery query, int id) {
        DatagramDnsQuery withId = new DatagramDnsQuery(null, query.recipient(), id);
        withId.addRecord(io.netty.handler.codec.dns.DnsSection.QUESTION,
            query.recordAt(io.netty.handler.codec.dns.DnsSection.QUESTION));
        query.release();
        EmbeddedChannel encoder = new EmbeddedChannel(new DatagramDnsQueryEncoder());
        encoder.writeOutbound(withId);
        io.netty.channel.socket.DatagramPacket packet = encoder.readOutbound();
        byte[] bytes = new byte[packet.content().readableBytes()];
        packet.content().readBytes(bytes);
        packet.release();
        encoder.finishAndReleaseAll();
        return bytes;
    }
}
