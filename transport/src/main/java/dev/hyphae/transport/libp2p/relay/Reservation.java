package dev.hyphae.transport.libp2p.relay;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A reservation this node holds on a relay.
 *
 * @param relay the relay's peer id
 * @param expire when the relay stops honouring it unless renewed
 * @param relayAddrs the relay's addresses as it reported them, each ending in {@code /p2p/<relay>}
 * @param limit the limit the relay applies to relayed connections, if any
 * @param voucher the relay's checked voucher, if it sent one
 */
public record Reservation(PeerId relay, Instant expire, List<Multiaddr> relayAddrs, Optional<CircuitLimit> limit,
                          Optional<ReservationVoucher> voucher) {

    public Reservation {
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(expire, "expire");
        relayAddrs = List.copyOf(relayAddrs);
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(voucher, "voucher");
    }

    /** The addresses at which others reach {@code self} through this relay: {@code <relay addr>/p2p-circuit/p2p/<self>}. */
    public List<Multiaddr> circuitAddrs(PeerId self) {
        Multiaddr suffix = Multiaddr.parse("/p2p-circuit/p2p/" + self.toBase58());
        return relayAddrs.stream().map(a -> a.encapsulate(suffix)).toList();
    }
}
