package dev.hyphae.transport.libp2p.kad;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import java.util.List;
import java.util.Objects;

/** A DHT participant as messages carry it: its peer id and the addresses it can be dialled at. */
public record KadPeer(PeerId id, List<Multiaddr> addrs) {

    public KadPeer {
        Objects.requireNonNull(id, "id");
        addrs = List.copyOf(addrs);
    }

    public KadId kadId() {
        return KadId.ofPeer(id);
    }
}
