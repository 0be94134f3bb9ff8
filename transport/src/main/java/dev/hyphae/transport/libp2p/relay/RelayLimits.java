package dev.hyphae.transport.libp2p.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * What a relay service grants.
 *
 * @param maxReservations reservations held at once, over all peers
 * @param maxReservationsPerIp reservations held at once by peers connected from one IP address
 * @param maxCircuitsPerPeer relayed connections open at once from or to one peer
 * @param reservationDuration how long a reservation lasts unless renewed
 * @param circuit the limit of each relayed connection (duration, bytes in each direction)
 */
public record RelayLimits(int maxReservations, int maxReservationsPerIp, int maxCircuitsPerPeer,
                          Duration reservationDuration, CircuitLimit circuit) {

    public RelayLimits {
        if (maxReservations < 1 || maxReservationsPerIp < 1 || maxCircuitsPerPeer < 1) {
            throw new IllegalArgumentException("relay limits must be positive");
        }
        if (reservationDuration.toSeconds() < 1) {
            throw new IllegalArgumentException("reservations must last at least a second");
        }
        Objects.requireNonNull(circuit, "circuit");
    }

    /** Like go-libp2p's and js-libp2p's defaults: 128 reservations, 8 per IP, 16 circuits per peer, 1 h, 2 min and 128 KiB per circuit. */
    public static RelayLimits defaults() {
        return new RelayLimits(128, 8, 16, Duration.ofHours(1),
            new CircuitLimit(Duration.ofMinutes(2), 128 * 1024));
    }
}
