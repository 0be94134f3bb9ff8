package dev.hyphae.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.auth.AuthDecision;
import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.dag.AuthChain;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.RoomVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A busy room of 10,000 signed events that forks in two at the end:
 *
 * <ul>
 *   <li>6 events to set it up (create, the creator's join, power levels, public join rule, name, topic),
 *   <li>1,000 members joining,
 *   <li>7,994 events of ordinary life, every tenth a state event (display names, topics, custom
 *       state, now and then a new moderator in the power levels), the rest messages,
 *   <li>two forks of 500 state events each, built side by side (interleaved timestamps). Both forks
 *       change the same 444 display names and 50 custom state keys (three display names twice);
 *       fork A also changes the power levels and two custom keys of its own, fork B the join rule,
 *       kicks a member and changes one custom key of its own.
 * </ul>
 *
 * The two forks' states conflict in exactly 1,000 events (494 keys with a different event on
 * each side, 6 keys changed on one side only). Every event is finished by {@link EventSigner} and
 * must pass {@link AuthorizationRules} (its auth events and the state before it) when it is built.
 */
final class ForkedRoom {
    static final int SETUP_EVENTS = 6;
    static final int MEMBERS = 1_000;
    static final int FORK_EVENTS = 500;
    static final int TOTAL_EVENTS = 10_000;
    static final int DAILY_LIFE_EVENTS = TOTAL_EVENTS - SETUP_EVENTS - MEMBERS - 2 * FORK_EVENTS;
    static final int SHARED_DISPLAY_NAMES = 444;
    static final int CUSTOM_KEYS = 50;
    static final String CUSTOM_TYPE = "dev.hyphae.bench.setting";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final StateKey CREATE = StateKey.of("m.room.create", "");

    final RoomVersion version;
    final String creator;
    final Map<String, Pdu> events = new LinkedHashMap<>();
    final Map<StateKey, String> stateA;
    final Map<StateKey, String> stateB;

    private final EventSigner signer;
    private final AuthorizationRules rules;
    private final String server;
    private final List<String> moderators = new ArrayList<>();
    private String roomId;
    private Pdu create;
    private long ts = 1_763_000_000_000L;

    /** The tip of one line of history and the state after it. */
    private static final class Branch {
        final Map<StateKey, Pdu> state;
        List<String> prev;
        long depth;

        Branch(Map<StateKey, Pdu> state, List<String> prev, long depth) {
            this.state = state;
            this.prev = prev;
            this.depth = depth;
        }

        Branch fork() {
            return new Branch(new HashMap<>(state), prev, depth);
        }
    }

    ForkedRoom(RoomVersion version, EventSigner signer, AuthorizationRules rules) {
        this.version = version;
        this.signer = signer;
        this.rules = rules;
        this.server = signer.serverName();
        this.creator = "@creator:" + server;

        Branch main = new Branch(new HashMap<>(), List.of(), 0);
        setUp(main);
        for (int i = 0; i < MEMBERS; i++) {
            add(main, member(i), "m.room.member", member(i), membership("join", "Member " + i));
        }
        for (int i = 0; i < DAILY_LIFE_EVENTS; i++) {
            if (i % 10 == 9) {
                dailyState(main, i / 10);
            } else {
                message(main, member((i * 131) % MEMBERS), i);
            }
        }
        Branch a = main.fork();
        Branch b = main.fork();
        for (int i = 0; i < FORK_EVENTS; i++) {
            forkEvent(a, i, true);
            forkEvent(b, i, false);
        }
        if (events.size() != TOTAL_EVENTS) {
            throw new IllegalStateException("built " + events.size() + " events, not " + TOTAL_EVENTS);
        }
        stateA = ids(a.state);
        stateB = ids(b.state);
    }

    private void setUp(Branch main) {
        ObjectNode createContent = NODES.objectNode().put("room_version", version.id());
        create = add(main, creator, "m.room.create", "", createContent);
        add(main, creator, "m.room.member", creator, membership("join", "Creator"));
        add(main, creator, "m.room.power_levels", "", powerLevels());
        add(main, creator, "m.room.join_rules", "", NODES.objectNode().put("join_rule", "public"));
        add(main, creator, "m.room.name", "", NODES.objectNode().put("name", "Benchmark room"));
        add(main, creator, "m.room.topic", "", NODES.objectNode().put("topic", "Where the benchmarks meet"));
    }

    /** State event number {@code n} of daily life: mostly display names, now and then something else. */
    private void dailyState(Branch main, int n) {
        if (n < 3) {
            add(main, creator, CUSTOM_TYPE, n < 2 ? "a" + n : "b0", setting("initial " + n));
        } else if (n % 100 == 50) {
            moderators.add(member(990 + moderators.size()));
            add(main, creator, "m.room.power_levels", "", powerLevels());
        } else if (n % 7 == 0) {
            add(main, creator, "m.room.topic", "", NODES.objectNode().put("topic", "Topic number " + n));
        } else if (n % 3 == 0) {
            String sender = moderators.isEmpty() || n % 2 == 0 ? creator : moderators.get(n % moderators.size());
            add(main, sender, CUSTOM_TYPE, "k" + (n % CUSTOM_KEYS), setting("daily " + n));
        } else {
            String user = member((n * 37) % MEMBERS);
            add(main, user, "m.room.member", user, membership("join", "Renamed " + n));
        }
    }

    private void forkEvent(Branch branch, int i, boolean forkA) {
        String side = forkA ? "A" : "B";
        if (i == 0) {
            if (forkA) {
                moderators.add(member(500));
                add(branch, creator, "m.room.power_levels", "", powerLevels());
            } else {
                add(branch, creator, "m.room.join_rules", "", NODES.objectNode().put("join_rule", "invite"));
            }
        } else if (i == 1) {
            if (forkA) {
                add(branch, creator, CUSTOM_TYPE, "a0", setting("fork A"));
            } else {
                add(branch, creator, "m.room.member", member(999), membership("leave", null));
            }
        } else if (i == 2) {
            add(branch, creator, CUSTOM_TYPE, forkA ? "a1" : "b0", setting("fork " + side));
        } else if (i < 3 + SHARED_DISPLAY_NAMES) {
            String user = member(i - 3);
            add(branch, user, "m.room.member", user, membership("join", "Fork " + side + " " + i));
        } else if (i < 3 + SHARED_DISPLAY_NAMES + CUSTOM_KEYS) {
            int key = i - 3 - SHARED_DISPLAY_NAMES;
            add(branch, creator, CUSTOM_TYPE, "k" + key, setting("fork " + side + " " + i));
        } else {
            String user = member(i - 3 - SHARED_DISPLAY_NAMES - CUSTOM_KEYS);
            add(branch, user, "m.room.member", user, membership("join", "Again " + side + " " + i));
        }
    }

    private void message(Branch main, String sender, int n) {
        ObjectNode content = NODES.objectNode();
        content.put("msgtype", "m.text");
        content.put("body", "Message " + n + ": " + EventSigningBenchmark.BODY.substring(0, 100 + n % 60));
        add(main, sender, "m.room.message", null, content);
    }

    /**
     * Builds, signs and checks one event on {@code branch}: auth events chosen by the auth events
     * selection from the branch's state, the branch's tip as prev_events.
     */
    private Pdu add(Branch branch, String sender, String type, String stateKey, ObjectNode content) {
        ObjectNode json = NODES.objectNode();
        boolean isCreate = "m.room.create".equals(type);
        if (!(isCreate && version.roomIdFromCreateEvent())) {
            json.put("room_id", isCreate ? "!bench:" + server : roomId);
        }
        json.put("sender", sender);
        json.put("type", type);
        if (stateKey != null) {
            json.put("state_key", stateKey);
        }
        json.set("content", content);
        json.put("depth", branch.depth + 1);
        json.put("origin_server_ts", ts++);
        ArrayNode prev = json.putArray("prev_events");
        branch.prev.forEach(prev::add);
        List<Pdu> authEvents = new ArrayList<>();
        for (StateKey key : rules.authStateKeys(new Pdu("$unsigned", json, version))) {
            Pdu auth = branch.state.get(key);
            if (auth != null) {
                authEvents.add(auth);
            }
        }
        ArrayNode auth = json.putArray("auth_events");
        authEvents.forEach(e -> auth.add(e.eventId()));

        Pdu pdu = signer.finish(json, version);
        if (isCreate) {
            create = pdu;
            roomId = pdu.roomId();
        }
        requireAllowed(pdu, rules.checkAuthEvents(pdu, authEvents));
        Map<StateKey, Pdu> authState = new HashMap<>();
        authEvents.forEach(e -> authState.put(e.stateTuple().orElseThrow(), e));
        if (!isCreate) {
            authState.putIfAbsent(CREATE, create);
        }
        requireAllowed(pdu, rules.authorize(pdu, authState));
        // The state before the event must allow it too, as for an event this server accepts.
        Map<StateKey, Pdu> before = new HashMap<>(branch.state);
        requireAllowed(pdu, rules.authorize(pdu, before));

        events.put(pdu.eventId(), pdu);
        pdu.stateTuple().ifPresent(key -> branch.state.put(key, pdu));
        branch.prev = List.of(pdu.eventId());
        branch.depth++;
        return pdu;
    }

    private static void requireAllowed(Pdu pdu, AuthDecision decision) {
        if (!decision.allowed()) {
            throw new IllegalStateException("the benchmark room is invalid: " + pdu + " " + decision.reason());
        }
    }

    private ObjectNode powerLevels() {
        ObjectNode content = NODES.objectNode();
        content.put("ban", 50).put("kick", 50).put("redact", 50).put("invite", 0);
        content.put("events_default", 0).put("state_default", 50).put("users_default", 0);
        content.putObject("events").put("m.room.name", 50).put("m.room.power_levels", 100)
                .put("m.room.history_visibility", 100).put("m.room.topic", 50);
        ObjectNode users = content.putObject("users");
        // From room version 12 the creator's power is implied and must not be listed.
        if (!version.authRules().roomCreators()) {
            users.put(creator, 100);
        }
        moderators.forEach(m -> users.put(m, 50));
        return content;
    }

    private static ObjectNode membership(String membership, String displayName) {
        ObjectNode content = NODES.objectNode().put("membership", membership);
        if (displayName != null) {
            content.put("displayname", displayName);
        }
        return content;
    }

    private static ObjectNode setting(String value) {
        return NODES.objectNode().put("value", value).put("enabled", true);
    }

    private String member(int i) {
        return String.format("@u%04d:%s", i, server);
    }

    private static Map<StateKey, String> ids(Map<StateKey, Pdu> state) {
        Map<StateKey, String> ids = new HashMap<>();
        state.forEach((key, pdu) -> ids.put(key, pdu.eventId()));
        return ids;
    }

    Optional<Pdu> find(String eventId) {
        return Optional.ofNullable(events.get(eventId));
    }

    /**
     * Sizes that explain the cost of resolving: the auth chain shared by both states (of the
     * unconflicted state) and the auth difference (events in one state's full auth chain only).
     */
    String authChainSizes() {
        AuthChain chains = new AuthChain(this::find);
        Set<String> unconflicted = new HashSet<>();
        Set<StateKey> keys = new HashSet<>(stateA.keySet());
        keys.addAll(stateB.keySet());
        for (StateKey key : keys) {
            if (Objects.equals(stateA.get(key), stateB.get(key))) {
                unconflicted.add(stateA.get(key));
            }
        }
        Set<String> chainA = chains.of(stateA.values());
        Set<String> chainB = chains.of(stateB.values());
        Set<String> union = new HashSet<>(chainA);
        union.addAll(chainB);
        Set<String> difference = new HashSet<>(union);
        difference.removeIf(id -> chainA.contains(id) && chainB.contains(id));
        return "auth chain of the unconflicted state " + chains.of(unconflicted).size() + " events, full auth chains "
                + chainA.size() + " and " + chainB.size() + ", auth difference " + difference.size();
    }

    /** The events of the conflicted state set, counted as the algorithm defines it. */
    int conflictedEvents() {
        Set<StateKey> keys = new HashSet<>(stateA.keySet());
        keys.addAll(stateB.keySet());
        Set<String> conflicted = new HashSet<>();
        for (StateKey key : keys) {
            String a = stateA.get(key);
            String b = stateB.get(key);
            if (a == null || !a.equals(b)) {
                if (a != null) {
                    conflicted.add(a);
                }
                if (b != null) {
                    conflicted.add(b);
                }
            }
        }
        return conflicted.size();
    }
}
