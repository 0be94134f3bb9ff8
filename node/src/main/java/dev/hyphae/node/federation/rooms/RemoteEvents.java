package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks another server for room events this node lacks: {@code /get_missing_events},
 * {@code /event}, {@code /state_ids} and {@code /event_auth}. Each call waits for the answer (up to
 * the timeout) and returns the events unchecked: the caller checks them as any received PDU.
 */
final class RemoteEvents {
    private final FederationClient client;
    private final Duration timeout;

    RemoteEvents(FederationClient client, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The state before an event as event IDs, with the auth chain of that state. */
    record StateIds(List<String> pduIds, List<String> authChainIds) {
    }

    /** POST /get_missing_events: the events between {@code earliest} (exclusive) and {@code latest}. */
    List<JsonNode> missingEvents(String server, String roomId, Collection<String> earliest,
            Collection<String> latest, int limit, long minDepth) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode earliestArray = body.putArray("earliest_events");
        earliest.forEach(earliestArray::add);
        ArrayNode latestArray = body.putArray("latest_events");
        latest.forEach(latestArray::add);
        body.put("limit", limit);
        body.put("min_depth", minDepth);
        JsonNode answer = call(FederationRequest.post(server,
                FederationPaths.V1 + "/get_missing_events/" + FederationPaths.encode(roomId), body));
        return objects(answer.path("events"), limit);
    }

    /** GET /event: one event of {@code roomId}, empty when the server does not give it. */
    Optional<JsonNode> event(String server, String roomId, String eventId) {
        try {
            // The path names no room: the request is marked with it for the room's transport policy.
            JsonNode answer = call(FederationRequest.get(server,
                    FederationPaths.V1 + "/event/" + FederationPaths.encode(eventId)).inRoom(roomId));
            List<JsonNode> pdus = objects(answer.path("pdus"), 1);
            return pdus.isEmpty() ? Optional.empty() : Optional.of(pdus.get(0));
        } catch (FederationException e) {
            return Optional.empty();
        }
    }

    /** GET /state_ids: the state before {@code eventId}. */
    StateIds stateIds(String server, String roomId, String eventId) {
        JsonNode answer = call(FederationRequest.get(server, FederationPaths.V1 + "/state_ids/"
                + FederationPaths.encode(roomId) + "?event_id=" + FederationPaths.encode(eventId)));
        return new StateIds(strings(answer.path("pdu_ids")), strings(answer.path("auth_chain_ids")));
    }

    /** GET /event_auth: the auth chain of {@code eventId}. */
    List<JsonNode> eventAuth(String server, String roomId, String eventId, int limit) {
        JsonNode answer = call(FederationRequest.get(server, FederationPaths.V1 + "/event_auth/"
                + FederationPaths.encode(roomId) + "/" + FederationPaths.encode(eventId)));
        return objects(answer.path("auth_chain"), limit);
    }

    /**
     * Sends the request and waits for the answer.
     *
     * @throws FederationException when the server was unreachable, refused, or did not answer in time
     */
    JsonNode call(FederationRequest request) {
        try {
            return client.request(request).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof FederationException federation) {
                throw federation;
            }
            throw FederationException.unreachable(request.destination(), String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw FederationException.unreachable(request.destination(), "no answer in " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FederationException.unreachable(request.destination(), "interrupted", e);
        }
    }

    private static List<JsonNode> objects(JsonNode array, int limit) {
        List<JsonNode> objects = new ArrayList<>();
        if (array.isArray()) {
            for (JsonNode node : array) {
                if (objects.size() >= limit) {
                    break;
                }
                if (node.isObject()) {
                    objects.add(node);
                }
            }
        }
        return objects;
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        if (array.isArray()) {
            for (JsonNode node : array) {
                if (node.isTextual()) {
                    strings.add(node.textValue());
                }
            }
        }
        return strings;
    }
}
