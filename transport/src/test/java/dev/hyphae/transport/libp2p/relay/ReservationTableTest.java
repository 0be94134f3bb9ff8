package dev.hyphae.transport.libp2p.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.Status;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReservationTableTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00.700Z"));

    private static PeerId peer() {
        return PrivateKey.generate(RANDOM).peerId();
    }

    private ReservationTable table(int max, int perIp, int circuitsPerPeer) {
        return new ReservationTable(new RelayLimits(max, perIp, circuitsPerPeer, Duration.ofMinutes(10),
            RelayLimits.defaults().circuit()), clock);
    }

    @Test
    void reservationExpiresAfterTheDurationInWholeSeconds() {
        ReservationTable table = table(10, 10, 10);
        PeerId p = peer();

        ReservationTable.Result result = table.reserve(p, "10.0.0.1", new Object());

        assertEquals(Status.OK, result.status());
        assertEquals(Instant.parse("2026-11-23T12:10:00Z"), result.entry().orElseThrow().expire());
        clock.advance(Duration.ofMinutes(10));
        assertTrue(table.reservation(p).isEmpty(), "expired");
    }

    @Test
    void reservationBeyondTheMaximumIsRefusedWithReservationRefused() {
        ReservationTable table = table(2, 10, 10);
        table.reserve(peer(), "10.0.0.1", new Object());
        table.reserve(peer(), "10.0.0.2", new Object());

        ReservationTable.Result third = table.reserve(peer(), "10.0.0.3", new Object());

        assertEquals(Status.RESERVATION_REFUSED, third.status());
        assertTrue(third.entry().isEmpty());
        assertEquals(2, table.size());
    }

    @Test
    void renewalAtTheMaximumIsGranted() {
        ReservationTable table = table(1, 10, 10);
        PeerId p = peer();
        table.reserve(p, "10.0.0.1", new Object());
        clock.advance(Duration.ofMinutes(5));

        ReservationTable.Result renewed = table.reserve(p, "10.0.0.1", new Object());

        assertEquals(Status.OK, renewed.status());
        assertEquals(Instant.parse("2026-11-23T12:15:00Z"), renewed.entry().orElseThrow().expire());
    }

    @Test
    void reservationsPerIpAreLimited() {
        ReservationTable table = table(10, 1, 10);
        table.reserve(peer(), "10.0.0.1", new Object());

        assertEquals(Status.RESERVATION_REFUSED, table.reserve(peer(), "10.0.0.1", new Object()).status());
        assertEquals(Status.OK, table.reserve(peer(), "10.0.0.2", new Object()).status());
    }

    @Test
    void expiredReservationsFreeTheirSlots() {
        ReservationTable table = table(1, 10, 10);
        table.reserve(peer(), "10.0.0.1", new Object());
        clock.advance(Duration.ofMinutes(11));

        assertEquals(Status.OK, table.reserve(peer(), "10.0.0.2", new Object()).status());
    }

    @Test
    void closingTheReservationsConnectionDropsItButNotANewerOne() {
        ReservationTable table = table(10, 10, 10);
        PeerId p = peer();
        Object first = new Object();
        Object second = new Object();
        table.reserve(p, "10.0.0.1", first);
        table.reserve(p, "10.0.0.1", second);

        table.connectionClosed(p, first);
        assertTrue(table.reservation(p).isPresent(), "the reservation on the second connection stays");
        table.connectionClosed(p, second);
        assertTrue(table.reservation(p).isEmpty());
    }

    @Test
    void circuitsPerPeerAreCountedAtBothEndsAndGivenBack() {
        ReservationTable table = table(10, 10, 1);
        PeerId a = peer();
        PeerId b = peer();
        PeerId c = peer();

        assertTrue(table.openCircuit(a, b));
        assertFalse(table.openCircuit(c, b), "b is at its limit as a target");
        assertFalse(table.openCircuit(a, c), "a is at its limit as a source");
        table.closeCircuit(a, b);
        assertEquals(0, table.circuits(b));
        assertTrue(table.openCircuit(c, b));
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
