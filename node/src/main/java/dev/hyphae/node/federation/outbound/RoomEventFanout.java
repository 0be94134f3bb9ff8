package dev.hyphae.node.federation.outbound;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.roomserver.RoomEventOutbox;
import dev.hyphae.store.QueuedItem;
import dev.hyphae.store.ReadTransaction;
import dev.hyphae.store.WriteTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Queues each new local event for every other server with a joined member in the room after the
 * event, and for the server of the target of a membership event (an invite, kick or ban of a user
 * on another server), in the write unit that stores the event; after the commit it tells the
 * sender which destinations have news.
 */
public final class RoomEventFanout implements RoomEventOutbox {
    private final String localServer;
    private final Clock clock;
    private final Consumer<String> queued;

    /**
     * @param queued told after the commit of each destination that got items, for example
     *               {@link FederationSender#queuedNotice()}
     */
    public RoomEventFanout(String localServer, Clock clock, Consumer<String> queued) {
        this.localServer = Objects.requireNonNull(localServer, "localServer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queued = Objects.requireNonNull(queued, "queued");
    }

    @Override
    public void queue(WriteTransaction tx, Pdu event) {
        Set<String> destinations = destinations(tx, event);
        if (destinations.isEmpty()) {
            return;
        }
        String json = new String(event.canonicalJson(), StandardCharsets.UTF_8);
        long now = clock.millis();
        for (String destination : destinations) {
            tx.federationQueue().enqueue(destination, QueuedItem.Kind.PDU, json, now);
        }
        tx.afterCommit(() -> destinations.forEach(queued));
    }

    /** The servers other than this one that must receive the event, in name order. */
    Set<String> destinations(ReadTransaction tx, Pdu event) {
        Set<String> servers = JoinedServers.inRoom(tx, event.roomId());
        if ("m.room.member".equals(event.type())) {
            event.stateKey().flatMap(JoinedServers::serverOf).ifPresent(servers::add);
        }
        servers.remove(localServer);
        return servers;
    }
}
