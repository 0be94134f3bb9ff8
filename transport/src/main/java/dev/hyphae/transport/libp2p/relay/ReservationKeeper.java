package dev.hyphae.transport.libp2p.relay;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.Protocol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds reservations on a list of relays: reserves on each, renews before expiry, and when a
 * reservation fails or its relay connection drops, tries again after a growing pause. Tells the
 * host whenever the set of reservations changes, so it can advertise its circuit addresses.
 */
public final class ReservationKeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReservationKeeper.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofMinutes(1);
    private static final Duration RENEW_MARGIN = Duration.ofMinutes(5);

    private final RelayClient client;
    private final Function<Multiaddr, CompletableFuture<Connection>> dial;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Runnable onChange;
    private final Map<Multiaddr, Held> held = new LinkedHashMap<>();
    private boolean closed;

    /** The reservation on one relay and the connection it lives on. */
    private record Held(Reservation reservation, Connection connection) {
    }

    /**
     * @param dial dials (or reuses a connection to) a relay address ending in {@code /p2p/<relay>}
     * @param onChange runs after a reservation is made or lost (not on renewals)
     */
    public ReservationKeeper(RelayClient client, Function<Multiaddr, CompletableFuture<Connection>> dial,
                             ScheduledExecutorService scheduler, Clock clock, Runnable onChange) {
        this.client = Objects.requireNonNull(client);
        this.dial = Objects.requireNonNull(dial);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.clock = Objects.requireNonNull(clock);
        this.onChange = Objects.requireNonNull(onChange);
    }

    /**
     * Keeps a reservation on the relay at {@code relay} from now on. The future completes with the
     * first reservation, or fails if that attempt fails (later attempts go on regardless).
     */
    public CompletableFuture<Reservation> keep(Multiaddr relay) {
        if (relay.valueOf(Protocol.P2P).isEmpty() || RelayProtocol.isCircuit(relay)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                "a relay address must name the relay with /p2p/<id> and not be a circuit: " + relay));
        }
        return attempt(relay, FIRST_RETRY);
    }

    /** The reservations held now. */
    public synchronized List<Reservation> reservations() {
        return held.values().stream().map(Held::reservation).toList();
    }

    /**
     * The addresses to advertise for reaching this node through its relays, {@code <relay addr>/p2p-circuit}
     * (without this node's {@code /p2p/}), from the address dialled and those each relay reported.
     */
    public synchronized List<Multiaddr> circuitListenAddrs() {
        Set<Multiaddr> addrs = new LinkedHashSet<>();
        Multiaddr circuit = Multiaddr.parse("/p2p-circuit");
        for (Map.Entry<Multiaddr, Held> e : held.entrySet()) {
            addrs.add(e.getKey().encapsulate(circuit));
            for (Multiaddr a : e.getValue().reservation().relayAddrs()) {
                addrs.add(a.encapsulate(circuit));
            }
        }
        return List.copyOf(addrs);
    }

    private CompletableFuture<Reservation> attempt(Multiaddr relay, Duration nextRetry) {
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("reservations closed"));
            }
        }
        return dial.apply(relay).thenCompose(connection -> client.reserve(connection)
            .thenApply(reservation -> {
                held(relay, reservation, connection);
                return reservation;
            }))
            .whenComplete((r, e) -> {
                if (e != null) {
                    LOG.info("reservation on {} failed: {}; retrying in {}", relay, e.getMessage(), nextRetry);
                    lost(relay);
                    schedule(() -> attempt(relay, min(nextRetry.multipliedBy(2), LAST_RETRY)), nextRetry);
                }
            });
    }

    private void held(Multiaddr relay, Reservation reservation, Connection connection) {
        boolean isNew;
        synchronized (this) {
            Held previous = held.put(relay, new Held(reservation, connection));
            isNew = previous == null || previous.connection() != connection;
        }
        if (isNew) {
            connection.channel().closeFuture().addListener(f -> {
                boolean wasHeld;
                synchronized (this) {
                    Held current = held.get(relay);
                    wasHeld = current != null && current.connection() == connection;
                }
                if (wasHeld) {
                    LOG.info("connection to relay {} closed; reserving again", relay);
                    lost(relay);
                    schedule(() -> attempt(relay, FIRST_RETRY), FIRST_RETRY);
                }
            });
            onChange.run();
        }
        schedule(() -> attempt(relay, FIRST_RETRY), renewIn(reservation.expire()));
    }

    /** Renews {@link #RENEW_MARGIN} before expiry, or halfway through a shorter reservation. */
    Duration renewIn(Instant expire) {
        Duration left = Duration.between(clock.instant(), expire);
        if (left.isNegative() || left.isZero()) {
            return Duration.ZERO;
        }
        return left.minus(min(RENEW_MARGIN, left.dividedBy(2)));
    }

    private void lost(Multiaddr relay) {
        boolean removed;
        synchronized (this) {
            removed = held.remove(relay) != null;
        }
        if (removed) {
            onChange.run();
        }
    }

    private synchronized void schedule(Runnable task, Duration delay) {
        if (closed) {
            return;
        }
        try {
            scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("not rescheduling a reservation: {}", e.getMessage());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stops renewing; reservations lapse at the relays. */
    @Override
    public synchronized void close() {
        closed = true;
        held.clear();
    }
}
