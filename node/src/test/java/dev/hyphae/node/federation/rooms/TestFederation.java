package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.federation.OriginAuthenticator;
import dev.hyphae.node.http.IncomingRequest;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.json.CanonicalJson;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * In-process federation between test nodes: a request is handed straight to the destination node's
 * federation routes, with the origin in a header that the destination's {@link #AUTHENTICATOR} trusts
 * (request signing is the carrier's business, not tested here). Servers can be cut off.
 */
final class TestFederation {
    static final String ORIGIN_HEADER = "x-test-origin";
    static final OriginAuthenticator AUTHENTICATOR = request -> request.header(ORIGIN_HEADER)
            .orElseThrow(() -> new MatrixException(401, MatrixException.M_UNAUTHORIZED, "no origin"));

    private final Map<String, FederatedTestNode> nodes = new ConcurrentHashMap<>();
    private final Set<String> unreachable = ConcurrentHashMap.newKeySet();
    private final Set<String> unreachablePaths = ConcurrentHashMap.newKeySet();
    private volatile BiFunction<FederationRequest, JsonNode, JsonNode> rewriter = (request, answer) -> answer;
    private volatile String carrier = IncomingRequest.UNKNOWN_CARRIER;

    /** Makes every request from now on arrive as if over {@code carrier} ({@code libp2p}, {@code tor}). */
    void setCarrier(String carrier) {
        this.carrier = carrier;
    }

    void add(FederatedTestNode node) {
        nodes.put(node.serverName, node);
    }

    /** Makes requests to {@code server} fail as unreachable (or reachable again). */
    void setReachable(String server, boolean reachable) {
        if (reachable) {
            unreachable.remove(server);
        } else {
            unreachable.add(server);
        }
    }

    /** Changes the answers servers give, as a faulty or hostile server would answer. */
    void rewriteAnswers(BiFunction<FederationRequest, JsonNode, JsonNode> rewriter) {
        this.rewriter = Objects.requireNonNull(rewriter, "rewriter");
    }

    /** Makes every request whose path contains {@code pathPart} fail as unreachable (or not). */
    void setReachablePath(String pathPart, boolean reachable) {
        if (reachable) {
            unreachablePaths.remove(pathPart);
        } else {
            unreachablePaths.add(pathPart);
        }
    }

    /** The client that {@code origin} makes its requests with. */
    FederationClient clientOf(String origin) {
        return request -> {
            FederatedTestNode destination = nodes.get(request.destination());
            if (destination == null || unreachable.contains(request.destination())
                    || unreachablePaths.stream().anyMatch(request.uri()::contains)) {
                return CompletableFuture.failedFuture(FederationException.unreachable(request.destination(),
                        "not in the test network", null));
            }
            byte[] body = request.body() == null ? new byte[0] : CanonicalJson.encode(request.body());
            IncomingRequest incoming = new IncomingRequest(request.method().name(), request.uri(),
                    Map.of(ORIGIN_HEADER, origin, "content-type", "application/json"), body, "127.0.0.1", carrier);
            return destination.dispatcher.dispatch(incoming).thenCompose(response -> answer(request.destination(), response))
                    .thenApply(answer -> rewriter.apply(request, answer));
        };
    }

    private static CompletableFuture<JsonNode> answer(String destination, MatrixResponse response) {
        JsonNode json = response.body().length == 0 ? null : CanonicalJson.parseLenient(response.body());
        if (response.status() / 100 == 2) {
            return CompletableFuture.completedFuture(json);
        }
        String errcode = json == null ? null : json.path("errcode").asText(null);
        String error = json == null ? "" : json.path("error").asText("");
        return CompletableFuture.failedFuture(FederationException.answered(destination, response.status(), errcode, error));
    }
}
