package dev.hyphae.transport.libp2p.mdns;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.Protocol;
import dev.hyphae.transport.libp2p.peer.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS messages of libp2p mDNS: the "find all peers" question, this node's answer, and the peers
 * found in answers. Names compare case-insensitively and without the trailing dot.
 */
public final class MdnsMessages {

    private static final Logger LOG = LoggerFactory.getLogger(MdnsMessages.class);

    /** The class IN; in answers mDNS uses the top bit of the class as the cache-flush flag (RFC 6762 §10.2). */
    static final int CLASS_IN = 1;
    private static final int CACHE_FLUSH = 0x8000;
    private static final String DNSADDR = "dnsaddr=";
    /** A TXT character-string holds at most 255 bytes. */
    private static final int MAX_TXT_STRING = 255;

    private MdnsMessages() {
    }

    /** The question {@code <service> PTR}, with id 0 as mDNS queries carry. */
    public static DatagramDnsQuery query(InetSocketAddress sender, InetSocketAddress recipient, String serviceName) {
        DatagramDnsQuery query = new DatagramDnsQuery(sender, recipient, 0);
        query.setRecord(DnsSection.QUESTION, new DefaultDnsQuestion(serviceName, DnsRecordType.PTR, CLASS_IN));
        return query;
    }

    /**
     * This node's answer: {@code <service> PTR <peer-name>.<service>}, and as additional record
     * {@code <peer-name>.<service> TXT "dnsaddr=<addr>"...} with one string per address (each
     * ending in {@code /p2p/<id>}). Addresses whose string exceeds the 255 bytes a TXT string
     * holds are left out.
     *
     * @param id the query's id: 0 for multicast answers, the query's own for a unicast reply
     */
    public static DatagramDnsResponse response(InetSocketAddress sender, InetSocketAddress recipient, int id,
            String serviceName, String peerName, List<Multiaddr> addrs, Duration ttl, ByteBufAllocator alloc) {
        DatagramDnsResponse response = new DatagramDnsResponse(sender, recipient, id);
        response.setAuthoritativeAnswer(true);
        String instance = peerName + "." + serviceName;
        response.addRecord(DnsSection.ANSWER, ptr(serviceName, instance, ttl, alloc));
        ByteBuf txt = alloc.buffer();
        for (Multiaddr addr : addrs) {
            byte[] text = (DNSADDR + addr).getBytes(StandardCharsets.UTF_8);
            if (text.length > MAX_TXT_STRING) {
                LOG.debug("address too long for a TXT string, not announced: {}", addr);
                continue;
            }
            txt.writeByte(text.length).writeBytes(text);
        }
        if (!txt.isReadable()) {
            txt.writeByte(0); // a TXT record holds at least one string (RFC 6763 §6.1)
        }
        response.addRecord(DnsSection.ADDITIONAL,
            new DefaultDnsRawRecord(instance, DnsRecordType.TXT, CLASS_IN | CACHE_FLUSH, ttl.toSeconds(), txt));
        return response;
    }

    /**
     * A PTR record written as raw data: Netty's own PTR encoding (4.1.114) leaves out the RDLENGTH
     * field, which makes the packet unreadable to every other implementation.
     */
    static DefaultDnsRawRecord ptr(String name, String target, Duration ttl, ByteBufAllocator alloc) {
        ByteBuf data = alloc.buffer();
        for (String label : target.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.UTF_8);
            if (bytes.length == 0 || bytes.length > 63) {
                data.release();
                throw new IllegalArgumentException("bad DNS label in " + target);
            }
            data.writeByte(bytes.length).writeBytes(bytes);
        }
        data.writeByte(0);
        return new DefaultDnsRawRecord(name, DnsRecordType.PTR, CLASS_IN, ttl.toSeconds(), data);
    }

    /**
     * Whether {@code query} asks for libp2p peers: {@code <service> PTR} (or ANY), or this node's
     * own TXT record, which some tools ask for separately (spec: "Gotchas").
     */
    public static boolean asksForPeers(DnsQuery query, String serviceName, String peerName) {
        String instance = peerName + "." + serviceName;
        for (int i = 0; i < query.count(DnsSection.QUESTION); i++) {
            DnsRecord question = query.recordAt(DnsSection.QUESTION, i);
            DnsRecordType type = question.type();
            if (sameName(question.name(), serviceName) && (type == DnsRecordType.PTR || type == DnsRecordType.ANY)) {
                return true;
            }
            if (sameName(question.name(), instance) && (type == DnsRecordType.TXT || type == DnsRecordType.ANY)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The peers an answer names: the instances that PTR records of {@code serviceName} point to,
     * with the {@code dnsaddr=} strings of their TXT records, in the answer or additional section
     * (js puts them among the answers). Addresses that do not parse or lack {@code /p2p/<id>} are
     * skipped; an instance may carry several peers' addresses, each is reported. Answers with TTL 0
     * say a peer is leaving and name no peer.
     */
    public static List<DiscoveredPeer> peersIn(DnsResponse response, String serviceName) {
        List<DnsRecord> records = new ArrayList<>();
        for (DnsSection section : List.of(DnsSection.ANSWER, DnsSection.ADDITIONAL)) {
            for (int i = 0; i < response.count(section); i++) {
                records.add(response.recordAt(section, i));
            }
        }
        Set<String> instances = new HashSet<>();
        for (DnsRecord record : records) {
            if (record instanceof DnsPtrRecord ptr && record.type() == DnsRecordType.PTR
                    && sameName(ptr.name(), serviceName) && ptr.timeToLive() > 0) {
                instances.add(normalize(ptr.hostname()));
            }
        }
        Map<PeerId, List<Multiaddr>> addrs = new LinkedHashMap<>();
        Map<PeerId, Long> ttls = new LinkedHashMap<>();
        for (DnsRecord record : records) {
            if (record.type() != DnsRecordType.TXT || !(record instanceof DnsRawRecord raw)
                    || !instances.contains(normalize(record.name())) || record.timeToLive() <= 0) {
                continue;
            }
            for (String text : txtStrings(raw.content())) {
                if (!text.regionMatches(true, 0, DNSADDR, 0, DNSADDR.length())) {
                    continue;
                }
                parseAddress(text.substring(DNSADDR.length())).ifPresent(a -> {
                    PeerId peer = PeerId.parse(a.valueOf(Protocol.P2P).orElseThrow());
                    List<Multiaddr> list = addrs.computeIfAbsent(peer, p -> new ArrayList<>());
                    if (!list.contains(a.withoutPeerId())) {
                        list.add(a.withoutPeerId());
                    }
                    ttls.merge(peer, record.timeToLive(), Math::min);
                });
            }
        }
        List<DiscoveredPeer> peers = new ArrayList<>();
        addrs.forEach((peer, list) -> peers.add(new DiscoveredPeer(peer, list, Duration.ofSeconds(ttls.get(peer)))));
        return peers;
    }

    private static Optional<Multiaddr> parseAddress(String text) {
        try {
            Multiaddr addr = Multiaddr.parse(text);
            Optional<String> id = addr.valueOf(Protocol.P2P);
            if (id.isEmpty()) {
                LOG.debug("mDNS address without /p2p/ ignored: {}", text);
                return Optional.empty();
            }
            PeerId.parse(id.get());
            return Optional.of(addr);
        } catch (IllegalArgumentException e) {
            LOG.debug("mDNS address ignored: {}: {}", text, e.getMessage());
            return Optional.empty();
        }
    }

    /** The character-strings of TXT data: each a length byte and that many bytes. A truncated last string is dropped. */
    static List<String> txtStrings(ByteBuf content) {
        List<String> strings = new ArrayList<>();
        int index = content.readerIndex();
        int end = content.writerIndex();
        while (index < end) {
            int length = content.getUnsignedByte(index);
            if (index + 1 + length > end) {
                break;
            }
            strings.add(content.toString(index + 1, length, StandardCharsets.UTF_8));
            index += 1 + length;
        }
        return strings;
    }

    static boolean sameName(String a, String b) {
        return normalize(a).equals(normalize(b));
    }

    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
