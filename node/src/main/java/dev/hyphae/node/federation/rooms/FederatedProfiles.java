package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.profile.ProfileException;
import dev.hyphae.node.profile.RemoteProfiles;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Profiles of users on other servers: {@code GET /_matrix/federation/v1/query/profile} to the user's
 * server. With a field named, only that field is passed on; a 404 answer is M_NOT_FOUND.
 */
public final class FederatedProfiles implements RemoteProfiles {
    private final FederationClient client;

    public FederatedProfiles(FederationClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public CompletableFuture<ObjectNode> query(UserId user, Optional<String> field) {
        String uri = FederationPaths.V1 + "/query/profile?user_id=" + URLEncoder.encode(user.toString(),
                StandardCharsets.UTF_8) + field.map(f -> "&field=" + URLEncoder.encode(f, StandardCharsets.UTF_8)).orElse("");
        CompletableFuture<JsonNode> answer;
        try {
            answer = client.request(FederationRequest.get(user.serverName().toString(), uri));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((json, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof FederationException federation && federation.status() == 404) {
                    throw new CompletionException(new ProfileException("M_NOT_FOUND", 404, "no such user"));
                }
                throw new CompletionException(new ProfileException("M_UNKNOWN", 502,
                        "the user's server could not be asked: " + cause.getMessage()));
            }
            ObjectNode profile = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (field.map(entry.getKey()::equals).orElse(true)) {
                    profile.set(entry.getKey(), entry.getValue());
                }
            }
            return profile;
        });
    }
}
