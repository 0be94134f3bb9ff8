package dev.hyphae.transport.libp2p.mdns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.NoLeaks;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class MdnsMessagesTest {

    private static final String SERVICE = MdnsConfig.SERVICE_NAME;
    private static final InetSocketAddress GROUP = MdnsConfig.MDNS_GROUP;
    private static final InetSocketAddress SENDER = new InetSocketAddress("127.0.0.1", 5353);

    private final PeerId peer = PrivateKey.generate(new SecureRandom()).peerId();
    private final Multiaddr addr = Multiaddr.parse("/ip4/192.0.2.7/tcp/4001/p2p/" + peer.toBase58());
    private final Multiaddr addr6 = Multiaddr.parse("/ip6/2001:db8::1/tcp/4001/p2p/" + peer.toBase58());

    /** Encodes with Netty's encoders and decodes with {@link MdnsDecoder}, as on the wire. */
    private static Object roundTrip(Object message) {
        EmbeddedChannel encoder = new EmbeddedChannel(new DatagramDnsQueryEncoder(), new DatagramDnsResponseEncoder());
        EmbeddedChannel decoder = new EmbeddedChannel(new MdnsDecoder());
        if (message instanceof DatagramDnsQuery q) {
            encoder.pipeline().remove(DatagramDnsResponseEncoder.class);
            encoder.writeOutbound(q);
        } else {
            encoder.pipeline().remove(DatagramDnsQueryEncoder.class);
            encoder.writeOutbound(message);
        }
        DatagramPacket packet = encoder.readOutbound();
        decoder.writeInbound(new DatagramPacket(packet.content(), GROUP, SENDER));
        Object decoded = decoder.readInbound();
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
        return decoded;
    }

    @Test
    void theFindAllPeersQueryAsksForTheServicePtr() {
        DatagramDnsQuery decoded = (DatagramDnsQuery) roundTrip(MdnsMessages.query(null, GROUP, SERVICE));
        try {
            assertEquals(0, decoded.id());
            assertEquals(1, decoded.count(DnsSection.QUESTION));
            assertEquals(DnsRecordType.PTR, decoded.recordAt(DnsSection.QUESTION).type());
            assertEquals(SERVICE + ".", decoded.recordAt(DnsSection.QUESTION).name());
            assertTrue(MdnsMessages.asksForPeers(decoded, SERVICE, "mypeername"));
        } finally {
            decoded.release();
        }
    }

    @Test
    void theResponseNamesThePeerAndAllItsAddresses() {
        DatagramDnsResponse response = MdnsMessages.response(null, GROUP, 0, SERVICE, "abc123",
            List.of(addr, addr6), Duration.ofSeconds(120), ByteBufAllocator.DEFAULT);
        DatagramDnsResponse decoded = (DatagramDnsResponse) roundTrip(response);
        try {
            assertTrue(decoded.isAuthoritativeAnswer());
            DnsPtrRecord ptr = decoded.recordAt(DnsSection.ANSWER);
            assertEquals("abc123._p2p._udp.local.", ptr.hostname());
            assertEquals(DnsRecordType.TXT, decoded.recordAt(DnsSection.ADDITIONAL).type());
            List<DiscoveredPeer> peers = MdnsMessages.peersIn(decoded, SERVICE);
            assertEquals(List.of(new DiscoveredPeer(peer, List.of(addr.withoutPeerId(), addr6.withoutPeerId()),
                Duration.ofSeconds(120))), peers);
        } finally {
            decoded.release();
        }
    }

    @Test
    void txtRecordsAmongTheAnswersCountToo() {
        // js (multicast-dns) puts the TXT records in the answer section, not the additional one.
        DatagramDnsResponse response = new DatagramDnsResponse(null, GROUP, 0);
        response.addRecord(DnsSection.ANSWER, MdnsMessages.ptr(SERVICE, "jspeer." + SERVICE, Duration.ofSeconds(120), ByteBufAllocator.DEFAULT));
        response.addRecord(DnsSection.ANSWER, txt("JSPEER." + SERVICE, 120, "dnsaddr=" + addr));
        response.addRecord(DnsSection.ANSWER, txt("jspeer." + SERVICE, 120, "dnsaddr=" + addr6, "other=1"));
        DatagramDnsResponse decoded = (DatagramDnsResponse) roundTrip(response);
        try {
            assertEquals(List.of(new DiscoveredPeer(peer, List.of(addr.withoutPeerId(), addr6.withoutPeerId()),
                Duration.ofSeconds(120))), MdnsMessages.peersIn(decoded, SERVICE));
        } finally {
            decoded.release();
        }
    }

    @Test
    void addressesOfOtherServicesBadAddressesAndGoodbyesNameNoPeer() {
        DatagramDnsResponse response = new DatagramDnsResponse(null, GROUP, 0);
        response.addRecord(DnsSection.ANSWER, MdnsMessages.ptr("_http._tcp.local", "web._http._tcp.local", Duration.ofSeconds(120), ByteBufAllocator.DEFAULT));
        response.addRecord(DnsSection.ADDITIONAL, txt("web._http._tcp.local", 120, "dnsaddr=" + addr));
        response.addRecord(DnsSection.ANSWER, MdnsMessages.ptr(SERVICE, "bad." + SERVICE, Duration.ofSeconds(120), ByteBufAllocator.DEFAULT));
        response.addRecord(DnsSection.ADDITIONAL, txt("bad." + SERVICE, 120, "dnsaddr=/ip4/1.2.3.4/tcp/1",
            "dnsaddr=/nonsense", "dnsaddr=/ip4/1.2.3.4/tcp/1/p2p/notapeerid"));
        response.addRecord(DnsSection.ANSWER, MdnsMessages.ptr(SERVICE, "leaving." + SERVICE, Duration.ZERO, ByteBufAllocator.DEFAULT));
        response.addRecord(DnsSection.ADDITIONAL, txt("leaving." + SERVICE, 0, "dnsaddr=" + addr));
        DatagramDnsResponse decoded = (DatagramDnsResponse) roundTrip(response);
        try {
            assertEquals(List.of(), MdnsMessages.peersIn(decoded, SERVICE));
        } finally {
            decoded.release();
        }
    }

    @Test
    void questionsForOtherServicesAreNotAnsweredButOurTxtIs() {
        DatagramDnsQuery other = new DatagramDnsQuery(null, GROUP, 0);
        other.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion("_http._tcp.local", DnsRecordType.PTR));
        assertFalse(MdnsMessages.asksForPeers(other, SERVICE, "me"));
        DatagramDnsQuery txt = new DatagramDnsQuery(null, GROUP, 0);
        txt.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion("me." + SERVICE, DnsRecordType.TXT));
        assertTrue(MdnsMessages.asksForPeers(txt, SERVICE, "me"));
        assertFalse(MdnsMessages.asksForPeers(txt, SERVICE, "someoneelse"));
    }

    @Test
    void aPacketShorterThanTheHeaderIsRejectedWithAReason() {
        EmbeddedChannel decoder = new EmbeddedChannel(new MdnsDecoder());
        ByteBuf shortPacket = Unpooled.wrappedBuffer(new byte[] {0, 0, (byte) 0x84, 0});
        DecoderException e = assertThrows(DecoderException.class,
            () -> decoder.writeInbound(new DatagramPacket(shortPacket, GROUP, SENDER)));
        assertTrue(e.getMessage().contains("shorter than its header"), e.getMessage());
        assertNull(decoder.readInbound());
        decoder.finishAndReleaseAll();
    }

    @Test
    void aResponseWhoseRecordsAreCutOffNamesNoPeer() {
        DatagramDnsResponse response = MdnsMessages.response(null, GROUP, 0, SERVICE, "abc123",
            List.of(addr), Duration.ofSeconds(120), ByteBufAllocator.DEFAULT);
        EmbeddedChannel encoder = new EmbeddedChannel(new DatagramDnsResponseEncoder());
        encoder.writeOutbound(response);
        DatagramPacket packet = encoder.readOutbound();
        ByteBuf cut = packet.content().retainedSlice(0, packet.content().readableBytes() - 20);
        packet.release();
        EmbeddedChannel decoder = new EmbeddedChannel(new MdnsDecoder());
        decoder.writeInbound(new DatagramPacket(cut, GROUP, SENDER));
        DatagramDnsResponse decoded = decoder.readInbound();
        try {
            assertEquals(List.of(), MdnsMessages.peersIn(decoded, SERVICE));
        } finally {
            decoded.release();
            encoder.finishAndReleaseAll();
            decoder.finishAndReleaseAll();
        }
    }

    @Test
    void aTxtStringRunningPastItsRecordIsDropped() {
        ByteBuf data = Unpooled.buffer();
        data.writeByte(3).writeBytes("abc".getBytes(StandardCharsets.UTF_8)).writeByte(10).writeByte('x');
        assertEquals(List.of("abc"), MdnsMessages.txtStrings(data));
        data.release();
    }

    private static DefaultDnsRawRecord txt(String name, long ttl, String... strings) {
        ByteBuf data = Unpooled.buffer();
        for (String s : strings) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            data.writeByte(bytes.length).writeBytes(bytes);
        }
        return new DefaultDnsRawRecord(name, DnsRecordType.TXT, 1, ttl, data);
    }
}
