package dev.hyphae.node.stateres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One state resolution scenario from {@code src/test/resources/stateres/}: the room version, the
 * events in federation form (with an explicit {@code event_id} for tests), the rejected events,
 * and either explicit {@code state_sets} or a DAG walked up to {@code resolve_before} (the states
 * after that event's prev events), with the expected resolved state.
 *
 * <p>Walking the DAG follows the file's event order, which must be topological: the state before
 * an event is the resolution of the states after its prev events, and the state after a state
 * event adds it.
 */
record StateResolutionFixture(String name, String description, RoomVersion version, Map<String, Pdu> events,
        Set<String> rejected, List<Map<StateKey, String>> stateSets, Map<StateKey, String> expected) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<StateResolutionFixture> all(StateResolver resolver) {
        URL dir = StateResolutionFixture.class.getClassLoader().getResource("stateres");
        if (dir == null) {
            throw new IllegalStateException("no stateres fixtures on the class path");
        }
        try (Stream<Path> files = Files.list(Paths.get(dir.toURI()))) {
            List<Path> sorted = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            return sorted.stream().map(p -> load(p, resolver));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static StateResolutionFixture load(Path file, StateResolver resolver) {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RoomVersion version = RoomVersions.get(root.path("room_version").asText());
        Map<String, Pdu> events = new LinkedHashMap<>();
        for (JsonNode event : root.path("events")) {
            ObjectNode json = ((ObjectNode) event).deepCopy();
            String id = json.remove("event_id").asText();
            events.put(id, new Pdu(id, json, version));
        }
        Set<String> rejected = new HashSet<>();
        root.path("rejected").forEach(id -> rejected.add(id.asText()));
        List<Map<StateKey, String>> stateSets = new ArrayList<>();
        if (root.has("state_sets")) {
            root.path("state_sets").forEach(set -> stateSets.add(stateMap(set)));
        } else {
            stateSets.addAll(walkDag(root.path("resolve_before").asText(), version, events, rejected, resolver));
        }
        String name = file.getFileName().toString().replace(".json", "");
        return new StateResolutionFixture(name, root.path("description").asText(), version, events, rejected,
                stateSets, stateMap(root.path("expected")));
    }

    StateResolution resolve(StateResolver resolver, List<Map<StateKey, String>> sets) {
        return resolver.resolve(version, sets, id -> Optional.ofNullable(events.get(id)), rejected::contains);
    }

    private static List<Map<StateKey, String>> walkDag(String target, RoomVersion version, Map<String, Pdu> events,
            Set<String> rejected, StateResolver resolver) {
        Map<String, Map<StateKey, String>> after = new HashMap<>();
        for (Pdu event : events.values()) {
            List<Map<StateKey, String>> prevStates = new ArrayList<>();
            for (String prev : event.prevEventIds()) {
                Map<StateKey, String> state = after.get(prev);
                if (state == null) {
                    throw new IllegalStateException("events not in topological order at " + event.eventId());
                }
                prevStates.add(state);
            }
            if (event.eventId().equals(target)) {
                return prevStates;
            }
            Map<StateKey, String> state = new HashMap<>();
            if (!prevStates.isEmpty()) {
                StateResolution before = resolver.resolve(version, prevStates,
                        id -> Optional.ofNullable(events.get(id)), rejected::contains);
                if (!(before instanceof StateResolution.Resolved resolved)) {
                    throw new IllegalStateException("state before " + event.eventId() + ": " + before);
                }
                state.putAll(resolved.state());
            }
            event.stateTuple().ifPresent(key -> state.put(key, event.eventId()));
            after.put(event.eventId(), state);
        }
        throw new IllegalStateException("resolve_before event " + target + " not found");
    }

    /** Reads {@code {type: {state_key: event_id}}}. */
    private static Map<StateKey, String> stateMap(JsonNode nested) {
        Map<StateKey, String> state = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> types = nested.fields(); types.hasNext();) {
            Map.Entry<String, JsonNode> type = types.next();
            for (Iterator<Map.Entry<String, JsonNode>> keys = type.getValue().fields(); keys.hasNext();) {
                Map.Entry<String, JsonNode> key = keys.next();
                state.put(StateKey.of(type.getKey(), key.getKey()), key.getValue().asText());
            }
        }
        return state;
    }

    @Override
    public String toString() {
        return name;
    }
}
