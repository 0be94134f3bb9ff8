package dev.hyphae.node.stateres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.dag.AuthChain;
import dev.hyphae.node.dag.MissingEventException;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.RoomVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The events one resolution works on, loaded once each, with the facts the algorithm asks for
 * again and again (auth events, content, sender power) kept so that sorting never re-reads JSON.
 * One instance serves one resolution; not thread-safe.
 */
final class ResolutionEvents {
    static final String CREATE = "m.room.create";
    static final String POWER_LEVELS = "m.room.power_levels";
    static final String JOIN_RULES = "m.room.join_rules";
    static final String MEMBER = "m.room.member";

    private final Function<String, Optional<Pdu>> loader;
    private final Predicate<String> rejected;
    private final RoomVersion version;
    private final AuthChain authChain;
    private final Map<String, Pdu> events = new HashMap<>();
    private final Map<String, Long> senderPower = new HashMap<>();
    /** From v12: the create event of each room ID met, found once per resolution (in practice one room). */
    private final Map<String, Optional<Pdu>> createByRoomId = new HashMap<>();

    ResolutionEvents(Function<String, Optional<Pdu>> loader, Predicate<String> rejected, RoomVersion version) {
        this(loader, rejected, version, null);
    }

    /** @param authChain a room's auth chain cache to reuse, or null for a fresh one over {@code loader} */
    ResolutionEvents(Function<String, Optional<Pdu>> loader, Predicate<String> rejected, RoomVersion version,
            AuthChain authChain) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.rejected = Objects.requireNonNull(rejected, "rejected");
        this.version = Objects.requireNonNull(version, "version");
        this.authChain = authChain != null ? authChain : new AuthChain(this::find);
    }

    RoomVersion version() {
        return version;
    }

    AuthChain authChain() {
        return authChain;
    }

    /** The event with this ID; throws {@link MissingEventException} when it cannot be loaded. */
    Pdu event(String eventId) {
        return find(eventId).orElseThrow(() -> new MissingEventException(eventId));
    }

    Optional<Pdu> find(String eventId) {
        Pdu pdu = events.get(eventId);
        if (pdu == null) {
            pdu = loader.apply(eventId).orElse(null);
            if (pdu == null) {
                return Optional.empty();
            }
            events.put(eventId, pdu);
        }
        return Optional.of(pdu);
    }

    boolean isRejected(String eventId) {
        return rejected.test(eventId);
    }

    List<String> authEvents(String eventId) {
        return authChain.authEventsOf(eventId);
    }

    /** The event's content, not copied; never modified. */
    ObjectNode content(String eventId) {
        return event(eventId).contentView();
    }

    /**
     * A power event: power levels, join rules, or a member event with membership leave or ban whose
     * sender is not its state key (a kick or ban).
     */
    boolean isPowerEvent(String eventId) {
        Pdu pdu = event(eventId);
        Optional<String> stateKey = pdu.stateKey();
        if (stateKey.isEmpty()) {
            return false;
        }
        String type = pdu.type();
        if ((POWER_LEVELS.equals(type) || JOIN_RULES.equals(type)) && stateKey.get().isEmpty()) {
            return true;
        }
        if (MEMBER.equals(type) && !stateKey.get().equals(pdu.sender())) {
            String membership = content(eventId).path("membership").asText("");
            return "leave".equals(membership) || "ban".equals(membership);
        }
        return false;
    }

    /** The {@code m.room.power_levels} event among the event's auth events, if any. */
    Optional<String> powerLevelsAuthEvent(String eventId) {
        return authEventOfType(eventId, POWER_LEVELS);
    }

    /**
     * The room's create event as seen by {@code eventId}: from its auth events, or from v12 on, by
     * the room ID (which is derived from the create event's ID; create events are not auth events).
     */
    Optional<Pdu> createEventFor(String eventId) {
        Pdu pdu = event(eventId);
        if (pdu.isCreate()) {
            return Optional.of(pdu);
        }
        if (version.roomIdFromCreateEvent()) {
            String id;
            try {
                id = pdu.roomId();
            } catch (IllegalStateException e) {
                return Optional.empty();
            }
            if (id.length() < 2) {
                return Optional.empty();
            }
            Optional<Pdu> create = createByRoomId.get(id);
            if (create == null) {
                create = find("$" + id.substring(1));
                createByRoomId.put(id, create);
            }
            return create;
        }
        return authEventOfType(eventId, CREATE).flatMap(this::find);
    }

    /**
     * The sender's power level as the event's auth events give it: infinite for room creators from
     * v12 on; otherwise the power levels event's value, or without one 100 for the creator and 0 else.
     */
    long senderPower(String eventId) {
        Long cached = senderPower.get(eventId);
        if (cached != null) {
            return cached;
        }
        long power = computeSenderPower(eventId);
        senderPower.put(eventId, power);
        return power;
    }

    private long computeSenderPower(String eventId) {
        String sender = event(eventId).sender();
        Optional<Pdu> create = createEventFor(eventId);
        if (version.authRules().roomCreators() && create.isPresent() && isCreator(create.get(), sender)) {
            return Long.MAX_VALUE;
        }
        Optional<String> powerLevels = powerLevelsAuthEvent(eventId);
        if (powerLevels.isPresent()) {
            return PowerLevelsContent.userLevel(content(powerLevels.get()), sender, version.authRules());
        }
        return create.isPresent() && isCreator(create.get(), sender) ? 100 : 0;
    }

    private boolean isCreator(Pdu create, String userId) {
        if (version.authRules().creatorIsSender()) {
            if (create.sender().equals(userId)) {
                return true;
            }
            if (version.authRules().roomCreators()) {
                JsonNode additional = content(create.eventId()).get("additional_creators");
                if (additional != null && additional.isArray()) {
                    for (JsonNode creator : additional) {
                        if (creator.isTextual() && creator.asText().equals(userId)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }
        return userId.equals(content(create.eventId()).path("creator").asText(null));
    }

    private Optional<String> authEventOfType(String eventId, String type) {
        for (String authId : authEvents(eventId)) {
            Pdu auth = event(authId);
            if (type.equals(auth.type()) && "".equals(auth.stateKey().orElse(null))) {
                return Optional.of(authId);
            }
        }
        return Optional.empty();
    }
}
