package dev.hyphae.node.transportpolicy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Which carriers may take a room's traffic between servers: the content {@code policy} of the
 * room's {@value #EVENT_TYPE} state event (state key ""). Without that event a room is
 * {@link #P2P}. A policy this node does not know is read as {@link #TOR_ONLY}: a value from a newer
 * node must never make traffic less private than it asked for.
 */
public enum TransportPolicy {
    /** Onion services only: no server learns another's network address from this room's traffic. */
    TOR_ONLY("tor-only", Set.of("tor")),
    /** libp2p (direct or relayed) and Tor. The default. */
    P2P("p2p", Set.of("libp2p", "tor")),
    /** libp2p, Tor and, once it exists, classic DNS federation for bridged rooms. */
    P2P_CLASSIC("p2p+classic", Set.of("libp2p", "tor", "classic"));

    /** The state event type, in Hyphae's own namespace. */
    public static final String EVENT_TYPE = "dev.hyphae.room.transport_policy";
    /**
     * The errcode (403) of a request refused because it came over a carrier its room's policy does
     * not allow: a sender that did not know the policy (a first join, a policy event it has not
     * received yet) tries its next carrier on it. Namespaced as the spec asks of codes outside M_.
     */
    public static final String REFUSED_ERRCODE = "DEV.HYPHAE.TRANSPORT_POLICY";
    /** The policy of a room without the state event. */
    public static final TransportPolicy DEFAULT = P2P;

    private final String value;
    private final Set<String> carriers;

    TransportPolicy(String value, Set<String> carriers) {
        this.value = value;
        this.carriers = carriers;
    }

    /** The content value, e.g. {@code tor-only}. */
    public String value() {
        return value;
    }

    /** The carriers this policy allows, by name. */
    public Set<String> carriers() {
        return carriers;
    }

    /** Whether the carrier named {@code carrier} ({@code libp2p}, {@code tor}, {@code classic}) may be used. */
    public boolean allows(String carrier) {
        return carriers.contains(carrier);
    }

    public static Optional<TransportPolicy> ofValue(String value) {
        return Arrays.stream(values()).filter(policy -> policy.value.equals(value)).findFirst();
    }

    /**
     * The policy a state event's content sets: an empty content (the event was cleared) is the
     * default, a value this node does not know is {@link #TOR_ONLY}.
     */
    public static TransportPolicy ofContent(JsonNode content) {
        if (content == null || !content.isObject() || content.isEmpty()) {
            return DEFAULT;
        }
        JsonNode policy = content.get("policy");
        return policy != null && policy.isTextual() ? ofValue(policy.textValue()).orElse(TOR_ONLY) : TOR_ONLY;
    }

    /**
     * Why a client's content for the state event is refused, if it is: it must be empty or name
     * one of the policies.
     */
    public static Optional<String> problemWith(JsonNode content) {
        if (content == null || !content.isObject()) {
            return Optional.of("content must be an object");
        }
        if (content.isEmpty()) {
            return Optional.empty();
        }
        JsonNode policy = content.get("policy");
        if (policy == null || !policy.isTextual() || ofValue(policy.textValue()).isEmpty()) {
            return Optional.of("policy must be one of " + Arrays.stream(values()).map(TransportPolicy::value).toList());
        }
        return Optional.empty();
    }
}
