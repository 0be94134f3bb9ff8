package dev.hyphae.transport.libp2p.kad;

import java.time.Duration;

/**
 * The DHT's parameters.
 *
 * @param protocolId the stream protocol; {@link #STANDARD_PROTOCOL} joins the IPFS DHT, Hyphae
 *     nodes use their own network's id so that their DHT stays separate
 * @param k replication parameter: bucket size and how many closest peers a lookup seeks (20)
 * @param alpha concurrent requests per lookup
 * @param quorum valid records a GET_VALUE collects before it returns (the local record counts)
 * @param requestTimeout how long one request may take, stream opening included
 * @param lookupTimeout how long a whole lookup may take
 * @param maxMessageSize the largest message accepted, before and after framing
 * @param streamIdleTimeout how long an inbound stream may wait for its next request (js: 10 s)
 * @param staleAfter how long a routing table entry counts as alive without contact
 */
public record KadConfig(String protocolId, int k, int alpha, int quorum, Duration requestTimeout,
                        Duration lookupTimeout, int maxMessageSize, Duration streamIdleTimeout,
                        Duration staleAfter) {

    /** The IPFS DHT's protocol, as js-libp2p and go-libp2p use by default. */
    public static final String STANDARD_PROTOCOL = "/ipfs/kad/1.0.0";
    /** Hyphae's own DHT. */
    public static final String HYPHAE_PROTOCOL = "/hyphae/kad/1.0.0";

    public KadConfig {
        if (k < 1 || alpha < 1 || quorum < 1 || maxMessageSize < 1) {
            throw new IllegalArgumentException("k, alpha, quorum and maxMessageSize must be positive");
        }
        if (!protocolId.startsWith("/")) {
            throw new IllegalArgumentException("protocol id must start with '/': " + protocolId);
        }
    }

    /** Hyphae's defaults: k 20, alpha 3, quorum 1, 64 KiB messages. */
    public static KadConfig hyphae() {
        return new KadConfig(HYPHAE_PROTOCOL, 20, 3, 1, Duration.ofSeconds(10), Duration.ofSeconds(60),
            64 * 1024, Duration.ofSeconds(10), Duration.ofMinutes(10));
    }

    /** The defaults on the IPFS DHT's protocol id. */
    public static KadConfig standard() {
        return hyphae().withProtocolId(STANDARD_PROTOCOL);
    }

    public KadConfig withProtocolId(String id) {
        return new KadConfig(id, k, alpha, quorum, requestTimeout, lookupTimeout, maxMessageSize,
            streamIdleTimeout, staleAfter);
    }

    public KadConfig withTimeouts(Duration request, Duration lookup) {
        return new KadConfig(protocolId, k, alpha, quorum, request, lookup, maxMessageSize,
            streamIdleTimeout, staleAfter);
    }
}
