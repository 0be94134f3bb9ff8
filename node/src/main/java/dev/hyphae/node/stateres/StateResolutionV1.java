package dev.hyphae.node.stateres;

import dev.hyphae.node.auth.EventAuthorizer;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * State resolution for room version 1. R starts as the union of the states without the conflicting
 * events; conflicts are then resolved for power levels, join rules, and member events in that order
 * (ascending depth, descending sha1 of the event ID; each later event replaces the earlier while
 * the rules allow it in R), and for all other keys the event of highest depth and lowest sha1 that
 * the rules allow in R wins.
 */
final class StateResolutionV1 implements ResolutionStrategy {
    private final EventAuthorizer authorizer;

    StateResolutionV1(EventAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public Map<StateKey, String> resolve(List<Map<StateKey, String>> stateSets, ResolutionEvents events) {
        Map<StateKey, String> resolved = new HashMap<>();
        // Sorted so that the order of member and other conflicts does not depend on hashing.
        Map<StateKey, Set<String>> conflicts = new TreeMap<>();
        for (Map<StateKey, String> set : stateSets) {
            for (Map.Entry<StateKey, String> entry : set.entrySet()) {
                conflicts.computeIfAbsent(entry.getKey(), k -> new HashSet<>()).add(entry.getValue());
            }
        }
        conflicts.entrySet().removeIf(entry -> {
            if (entry.getValue().size() == 1) {
                resolved.put(entry.getKey(), entry.getValue().iterator().next());
                return true;
            }
            return false;
        });
        resolveAuthKey(conflicts.remove(StateKey.of(ResolutionEvents.POWER_LEVELS, "")), resolved, events);
        resolveAuthKey(conflicts.remove(StateKey.of(ResolutionEvents.JOIN_RULES, "")), resolved, events);
        for (StateKey key : new ArrayList<>(conflicts.keySet())) {
            if (key.type().equals(ResolutionEvents.MEMBER)) {
                resolveAuthKey(conflicts.remove(key), resolved, events);
            }
        }
        for (Set<String> candidates : conflicts.values()) {
            resolveNormal(candidates, resolved, events);
        }
        return resolved;
    }

    private void resolveAuthKey(Set<String> candidates, Map<StateKey, String> resolved, ResolutionEvents events) {
        if (candidates == null) {
            return;
        }
        List<Pdu> ordered = ordered(candidates, events);
        Pdu first = ordered.get(0);
        resolved.put(first.stateTuple().orElseThrow(), first.eventId());
        for (Pdu event : ordered.subList(1, ordered.size())) {
            if (!allowed(event, resolved, events)) {
                return;
            }
            resolved.put(event.stateTuple().orElseThrow(), event.eventId());
        }
    }

    private void resolveNormal(Set<String> candidates, Map<StateKey, String> resolved, ResolutionEvents events) {
        List<Pdu> ordered = ordered(candidates, events);
        for (int i = ordered.size() - 1; i >= 0; i--) {
            Pdu event = ordered.get(i);
            if (allowed(event, resolved, events)) {
                resolved.put(event.stateTuple().orElseThrow(), event.eventId());
                return;
            }
        }
        // None passes: keep the event of least depth, as deployed servers do, so the key stays set.
        Pdu fallback = ordered.get(0);
        resolved.put(fallback.stateTuple().orElseThrow(), fallback.eventId());
    }

    /** Ascending depth, then descending sha1 of the event ID. */
    private static List<Pdu> ordered(Set<String> candidates, ResolutionEvents events) {
        List<Pdu> list = new ArrayList<>();
        Map<String, String> sha1 = new HashMap<>();
        for (String id : candidates) {
            Pdu pdu = events.event(id);
            if (pdu.stateTuple().isEmpty()) {
                throw new IllegalArgumentException("state set names non-state event " + id);
            }
            list.add(pdu);
            sha1.put(id, sha1Hex(id));
        }
        list.sort(Comparator.comparingLong(Pdu::depth)
                .thenComparing(pdu -> sha1.get(pdu.eventId()), Comparator.reverseOrder()));
        return list;
    }

    private boolean allowed(Pdu event, Map<StateKey, String> state, ResolutionEvents events) {
        Map<StateKey, Pdu> authState = new HashMap<>();
        for (StateKey key : authorizer.authStateKeys(event)) {
            String id = state.get(key);
            if (id != null) {
                authState.put(key, events.event(id));
            }
        }
        return authorizer.authorize(event, authState).allowed();
    }

    private static String sha1Hex(String eventId) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(digest.digest(eventId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }
}
