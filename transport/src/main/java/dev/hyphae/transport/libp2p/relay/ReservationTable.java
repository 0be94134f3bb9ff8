package dev.hyphae.transport.libp2p.relay;

import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The relay service's bookkeeping: who holds a reservation until when and from which IP, and how
 * many circuits each peer has open, within {@link RelayLimits}. Thread-safe.
 */
final class ReservationTable {

    /** A granted reservation; {@code connection} identifies the connection it was made on. */
    record Entry(PeerId peer, String ip, Instant expire, Object connection) {
    }

    private final RelayLimits limits;
    private final Clock clock;
    private final Map<PeerId, Entry> reservations = new HashMap<>();
    private final Map<PeerId, Integer> circuits = new HashMap<>();

    ReservationTable(RelayLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * Grants or renews {@code peer}'s reservation, or says which status refuses it. A renewal
     * always fits, as it takes no new slot.
     */
    synchronized Result reserve(PeerId peer, String ip, Object connection) {
        Instant now = clock.instant();
        reservations.values().removeIf(e -> !e.expire().isAfter(now));
        Entry existing = reservations.get(peer);
        if (existing == null) {
            if (reservations.size() >= limits.maxReservations()) {
                return Result.refused(Status.RESERVATION_REFUSED, "relay holds its maximum of "
                    + limits.maxReservations() + " reservations");
            }
            long fromIp = reservations.values().stream().filter(e -> e.ip().equals(ip)).count();
            if (fromIp >= limits.maxReservationsPerIp()) {
                return Result.refused(Status.RESERVATION_REFUSED, "IP " + ip + " holds its maximum of "
                    + limits.maxReservationsPerIp() + " reservations");
            }
        }
        // Whole seconds, as the wire carries them, so that the voucher and the table agree.
        Instant expire = Instant.ofEpochSecond(now.plus(limits.reservationDuration()).getEpochSecond());
        Entry entry = new Entry(peer, ip, expire, connection);
        reservations.put(peer, entry);
        return new Result(Optional.of(entry), Status.OK, "");
    }

    /** The live reservation of {@code peer}, if it holds one. */
    synchronized Optional<Entry> reservation(PeerId peer) {
        Entry e = reservations.get(peer);
        if (e != null && !e.expire().isAfter(clock.instant())) {
            reservations.remove(peer);
            return Optional.empty();
        }
        return Optional.ofNullable(e);
    }

    /** Drops the reservation of {@code peer} made on {@code connection} (the connection ended). */
    synchronized void connectionClosed(PeerId peer, Object connection) {
        Entry e = reservations.get(peer);
        if (e != null && e.connection() == connection) {
            reservations.remove(peer);
        }
    }

    synchronized int size() {
        return reservations.size();
    }

    /** Takes a circuit slot for both ends, or refuses if either is at its limit. */
    synchronized boolean openCircuit(PeerId source, PeerId target) {
        if (circuits.getOrDefault(source, 0) >= limits.maxCircuitsPerPeer()
            || circuits.getOrDefault(target, 0) >= limits.maxCircuitsPerPeer()) {
            return false;
        }
        circuits.merge(source, 1, Integer::sum);
        circuits.merge(target, 1, Integer::sum);
        return true;
    }

    /** Gives back the slots {@link #openCircuit} took. */
    synchronized void closeCircuit(PeerId source, PeerId target) {
        circuits.computeIfPresent(source, (p, n) -> n > 1 ? n - 1 : null);
        circuits.computeIfPresent(target, (p, n) -> n > 1 ? n - 1 : null);
    }

    synchronized int circuits(PeerId peer) {
        return circuits.getOrDefault(peer, 0);
    }

    /** The outcome of {@link #reserve}: the entry, or the refusing status and why. */
    record Result(Optional<Entry> entry, Status status, String reason) {
        static Result refused(Status status, String reason) {
            return new Result(Optional.empty(), status, reason);
        }
    }
}
