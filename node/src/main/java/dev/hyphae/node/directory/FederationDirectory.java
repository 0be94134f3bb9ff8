package dev.hyphae.node.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Other servers' directories over federation: {@code GET /_matrix/federation/v1/query/directory}
 * for their aliases and {@code /_matrix/federation/v1/publicRooms} for their published rooms.
 */
public final class FederationDirectory implements RemoteDirectory {
    private static final String V1 = "/_matrix/federation/v1";

    private final FederationClient client;
    private final Duration timeout;

    public FederationDirectory(FederationClient client, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public ResolvedAlias queryAlias(String serverName, String alias) {
        JsonNode answer = call(FederationRequest.get(serverName, V1 + "/query/directory?room_alias=" + encode(alias)),
                "Room alias " + alias);
        JsonNode roomId = answer.path("room_id");
        if (!roomId.isTextual() || !roomId.textValue().startsWith("!")) {
            throw DirectoryException.notFound("Room alias " + alias + ": " + serverName + " gave no room ID");
        }
        // The alias's server is asked first when joining, whatever it listed.
        Set<String> servers = new LinkedHashSet<>();
        servers.add(serverName);
        for (JsonNode server : answer.path("servers")) {
            if (server.isTextual() && !server.textValue().isEmpty()) {
                servers.add(server.textValue());
            }
        }
        return new ResolvedAlias(roomId.textValue(), new ArrayList<>(servers));
    }

    @Override
    public ObjectNode publicRooms(String serverName, ObjectNode request) {
        FederationRequest federation;
        if (request.has("filter") || request.has("include_all_networks") || request.has("third_party_instance_id")) {
            federation = FederationRequest.post(serverName, V1 + "/publicRooms", request.deepCopy());
        } else {
            List<String> query = new ArrayList<>();
            if (request.path("limit").canConvertToInt()) {
                query.add("limit=" + request.path("limit").asInt());
            }
            if (request.path("since").isTextual()) {
                query.add("since=" + encode(request.path("since").textValue()));
            }
            federation = FederationRequest.get(serverName, V1 + "/publicRooms"
                    + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        }
        JsonNode answer = call(federation, "The room directory of " + serverName);
        if (!answer.isObject() || !answer.path("chunk").isArray()) {
            throw DirectoryException.notFound("The room directory of " + serverName + " gave no rooms");
        }
        return (ObjectNode) answer;
    }

    private JsonNode call(FederationRequest request, String what) {
        try {
            return client.request(request).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            String reason = e.getCause() instanceof FederationException federation
                    ? federation.getMessage() : String.valueOf(e.getCause());
            throw DirectoryException.notFound(what + " is not known: " + reason);
        } catch (TimeoutException e) {
            throw DirectoryException.notFound(what + " is not known: " + request.destination()
                    + " did not answer in " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DirectoryException.notFound(what + " is not known: interrupted");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
