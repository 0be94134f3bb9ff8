package dev.hyphae.transport.libp2p.mdns;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How mDNS discovery runs.
 *
 * @param serviceName the DNS-SD service of libp2p peers, {@code _p2p._udp.local}
 * @param peerName this node's random label under the service (spec: at least 32 lower-case alphanumerics)
 * @param group the multicast group and port, 224.0.0.251:5353
 * @param interfaceName the network interface to multicast on; empty: the one the host's listen
 *     addresses are on (see {@link MdnsInterface})
 * @param queryInterval how often to ask for peers again
 * @param ttl the lifetime given to this node's answers
 * @param dialDiscovered whether the host dials the peers it discovers
 */
public record MdnsConfig(String serviceName, String peerName, InetSocketAddress group, Optional<String> interfaceName,
                         Duration queryInterval, Duration ttl, boolean dialDiscovered) {

    public static final String SERVICE_NAME = "_p2p._udp.local";
    public static final InetSocketAddress MDNS_GROUP = new InetSocketAddress("224.0.0.251", 5353);

    private static final String PEER_NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

    public MdnsConfig {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (serviceName == null || serviceName.isEmpty() || serviceName.length() > 200) {
            throw new IllegalArgumentException("bad service name: " + serviceName);
        }
        if (peerName == null || !peerName.matches("[a-z0-9]{1,63}")) {
            throw new IllegalArgumentException("peer name must be 1 to 63 lower-case letters and digits: " + peerName);
        }
        if (!group.getAddress().isMulticastAddress()) {
            throw new IllegalArgumentException("not a multicast group: " + group);
        }
        if (queryInterval.isNegative() || queryInterval.isZero() || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("queryInterval and ttl must be positive");
        }
    }

    /**
     * The standard service and group, a fresh random peer name, queries every 10 seconds (as js does),
     * answers valid for 120 seconds (RFC 6762's TTL for records naming hosts), discovered peers dialled.
     */
    public static MdnsConfig defaults(SecureRandom random) {
        return new MdnsConfig(SERVICE_NAME, randomPeerName(random), MDNS_GROUP, Optional.empty(),
            Duration.ofSeconds(10), Duration.ofSeconds(120), true);
    }

    /** 32 random lower-case alphanumerics: carries no meaning, so reveals nothing. */
    public static String randomPeerName(SecureRandom random) {
        StringBuilder name = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            name.append(PEER_NAME_CHARS.charAt(random.nextInt(PEER_NAME_CHARS.length())));
        }
        return name.toString();
    }

    public MdnsConfig withGroup(InetSocketAddress newGroup) {
        return new MdnsConfig(serviceName, peerName, newGroup, interfaceName, queryInterval, ttl, dialDiscovered);
    }

    public MdnsConfig withInterface(String name) {
        return new MdnsConfig(serviceName, peerName, group, Optional.of(name), queryInterval, ttl, dialDiscovered);
    }

    public MdnsConfig withQueryInterval(Duration interval) {
        return new MdnsConfig(serviceName, peerName, group, interfaceName, interval, ttl, dialDiscovered);
    }

    public MdnsConfig withDialDiscovered(boolean dial) {
        return new MdnsConfig(serviceName, peerName, group, interfaceName, queryInterval, ttl, dial);
    }
}
