package dev.hyphae.node.stateres;

import dev.hyphae.node.auth.EventAuthorizer;
import dev.hyphae.node.dag.AuthChain;
import dev.hyphae.node.dag.MissingEventException;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.RoomVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Resolves a set of room states into one, with the algorithm of the room version
 * ({@link RoomVersion#stateResolution()}). Pure: events come from the given loader, and nothing is
 * stored. Stateless and thread-safe; each call keeps its own caches.
 */
public final class StateResolver {
    private final EventAuthorizer authorizer;

    public StateResolver(EventAuthorizer authorizer) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    }

    /**
     * Resolves {@code stateSets}.
     *
     * @param version the room's version
     * @param stateSets the states to resolve, (type, state key) to event ID
     * @param events loads an event by ID; every event in the sets and their auth chains must load
     * @param rejected whether an event was rejected (rejected auth events are not used in auth checks)
     * @return the resolved state, or a failure naming what made resolution impossible
     */
    public StateResolution resolve(RoomVersion version, List<Map<StateKey, String>> stateSets,
            Function<String, Optional<Pdu>> events, Predicate<String> rejected) {
        return resolve(version, stateSets, events, rejected, null);
    }

    /**
     * Resolves {@code stateSets}, reading auth events through {@code authChain}: a room can keep one
     * {@link AuthChain} (over the same events) for many resolutions, so that each event's auth event
     * list is read once. Not for concurrent use with the same {@code authChain}.
     */
    public StateResolution resolve(RoomVersion version, List<Map<StateKey, String>> stateSets,
            Function<String, Optional<Pdu>> events, Predicate<String> rejected, AuthChain authChain) {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(rejected, "rejected");
        Objects.requireNonNull(stateSets, "stateSets");
        for (Map<StateKey, String> set : stateSets) {
            if (set == null) {
                return StateResolution.failed("a state set to resolve is null");
            }
        }
        if (stateSets.isEmpty()) {
            return StateResolution.resolved(Map.of());
        }
        List<Map<StateKey, String>> sets = new ArrayList<>(stateSets);
        ResolutionEvents loaded = new ResolutionEvents(events, rejected, version, authChain);
        ResolutionStrategy strategy = switch (version.stateResolution()) {
            case V1 -> new StateResolutionV1(authorizer);
            case V2 -> new StateResolutionV2(authorizer, false);
            case V2_1 -> new StateResolutionV2(authorizer, true);
        };
        try {
            return StateResolution.resolved(strategy.resolve(sets, loaded));
        } catch (MissingEventException e) {
            return StateResolution.failed("cannot resolve state: missing event " + e.eventId());
        } catch (IllegalStateException | IllegalArgumentException e) {
            return StateResolution.failed("cannot resolve state: " + e.getMessage());
        }
    }

    /** Resolves {@code stateSets} with the events held in a map and a set of rejected event IDs. */
    public StateResolution resolve(RoomVersion version, List<Map<StateKey, String>> stateSets,
            Map<String, Pdu> events, Set<String> rejected) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(rejected, "rejected");
        return resolve(version, stateSets, id -> Optional.ofNullable(events.get(id)), rejected::contains);
    }
}
