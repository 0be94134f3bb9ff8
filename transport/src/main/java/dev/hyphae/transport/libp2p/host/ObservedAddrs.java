package dev.hyphae.transport.libp2p.host;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.Protocol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP addresses peers observed this node at (identify's {@code observedAddr}) over direct
 * connections, newest first. When dials leave from the listen port, these are the NAT's mapping of
 * that port, the address DCUtR offers for the hole punch. Thread-safe.
 */
final class ObservedAddrs {

    private final int max;
    private final Set<Multiaddr> newestLast = new LinkedHashSet<>();

    ObservedAddrs(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive");
        }
        this.max = max;
    }

    /**
     * Records what a peer observed over a connection that is {@code relayed} or not. Ignored over
     * relayed connections (the peer sees the relay's circuit) and for anything but an IP and TCP port.
     */
    synchronized void observed(boolean relayed, Multiaddr address) {
        if (relayed) {
            return;
        }
        Multiaddr a = address.withoutPeerId();
        List<Multiaddr.Component> parts = a.components();
        if (parts.size() != 2 || parts.get(1).protocol() != Protocol.TCP
            || (parts.get(0).protocol() != Protocol.IP4 && parts.get(0).protocol() != Protocol.IP6)) {
            return;
        }
        newestLast.remove(a);
        newestLast.add(a);
        while (newestLast.size() > max) {
            newestLast.remove(newestLast.iterator().next());
        }
    }

    /** The observed addresses, newest first. */
    synchronized List<Multiaddr> addrs() {
        List<Multiaddr> out = new ArrayList<>(newestLast);
        Collections.reverse(out);
        return List.copyOf(out);
    }
}
