package dev.hyphae.transport.libp2p.host;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Which addresses the host gives out, and where: the bound listen addresses (or the configured
 * announce addresses instead), the circuit addresses of the reservations it holds, and, for a hole
 * punch, the addresses peers observed it at.
 */
final class HostAddresses {

    private final Multiaddr p2p;
    private final List<Multiaddr> announce;
    private final ObservedAddrs observed = new ObservedAddrs(8);
    private volatile List<Multiaddr> listening = List.of();
    private volatile Supplier<List<Multiaddr>> circuits;

    HostAddresses(PeerId self, List<Multiaddr> announce) {
        this.p2p = Multiaddr.parse("/p2p/" + self.toBase58());
        this.announce = List.copyOf(announce);
    }

    /** From now on the circuit addresses (of the reservations held) are advertised too. */
    void advertiseCircuits(Supplier<List<Multiaddr>> circuitListenAddrs) {
        this.circuits = circuitListenAddrs;
    }

    void listening(List<Multiaddr> bound) {
        listening = List.copyOf(bound);
    }

    void alsoListening(Multiaddr bound) {
        List<Multiaddr> more = new ArrayList<>(listening);
        more.add(bound);
        listening = List.copyOf(more);
    }

    /** An address a peer told us (identify) it sees us at, over a relayed connection or not. */
    void observed(boolean relayed, Multiaddr address) {
        observed.observed(relayed, address);
    }

    /** The bound listen addresses, without {@code /p2p/<id>}. */
    List<Multiaddr> listening() {
        return listening;
    }

    /** The bound listen addresses with {@code /p2p/<id>}: what mDNS announces on the local network. */
    List<Multiaddr> listeningWithId() {
        return withId(listening);
    }

    /** The announce addresses if configured, else the bound listen addresses. */
    List<Multiaddr> direct() {
        return announce.isEmpty() ? listening : announce;
    }

    /** What identify, the peer record and the DHT advertise: direct addresses, then circuit addresses. */
    List<Multiaddr> advertised() {
        Supplier<List<Multiaddr>> c = circuits;
        if (c == null) {
            return direct();
        }
        List<Multiaddr> all = new ArrayList<>(direct());
        all.addAll(c.get());
        return List.copyOf(all);
    }

    /** {@link #advertised()}, each ending in {@code /p2p/<id>}. */
    List<Multiaddr> advertisedWithId() {
        return withId(advertised());
    }

    /**
     * What this host offers to dial in DCUtR: with port reuse, the addresses peers observed it at
     * (its NAT's mapping of the listen port), then its own direct addresses.
     */
    List<Multiaddr> holePunch(boolean reusesPort) {
        List<Multiaddr> offered = new ArrayList<>();
        if (reusesPort) {
            offered.addAll(observed.addrs());
        }
        offered.addAll(direct());
        return List.copyOf(offered);
    }

    Multiaddr withId(Multiaddr address) {
        return address.encapsulate(p2p);
    }

    private List<Multiaddr> withId(List<Multiaddr> addresses) {
        return addresses.stream().map(a -> a.encapsulate(p2p)).toList();
    }
}
