package dev.hyphae.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A link a friend's client or node can use to reach a user of this node: a {@code matrix:} URI
 * (the spec's URI scheme) for the user, with {@code action=chat} and the node's libp2p addresses
 * as {@code dev.hyphae.addr} hints (a custom query item, reverse-DNS named as the scheme asks), so
 * the friend's node can dial it before any DHT lookup.
 */
record InviteLink(String userId, List<String> addresses) {
    InviteLink {
        if (!userId.startsWith("@") || userId.indexOf(':') < 0) {
            throw new IllegalArgumentException("not a user ID: " + userId);
        }
        addresses = List.copyOf(addresses);
    }

    @Override
    public String toString() {
        StringBuilder link = new StringBuilder("matrix:u/").append(encode(userId.substring(1))).append("?action=chat");
        for (String address : addresses) {
            link.append("&dev.hyphae.addr=").append(encode(address));
        }
        return link.toString();
    }

    private static String encode(String value) {
        // ':' may stay as is in a URI path and query; everything else reserved is escaped.
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
    }
}
