package dev.hyphae.node.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a request from routing to response, independent of the network code: finds the route,
 * applies the rate limits, authenticates the access token, runs the handler on a worker and turns
 * every failure into an error response. The returned future never completes exceptionally.
 */
public final class RequestDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
    private static final String BEARER = "bearer ";

    private final RouteTable routes;
    private final AccessTokenAuthenticator authenticator;
    private final RateLimiter perIp;
    private final RateLimiter perUser;
    private final Executor workers;
    private final AtomicLong failureIds = new AtomicLong();

    public RequestDispatcher(RouteTable routes, AccessTokenAuthenticator authenticator, RateLimiter perIp,
            RateLimiter perUser, Executor workers) {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.perIp = Objects.requireNonNull(perIp, "perIp");
        this.perUser = Objects.requireNonNull(perUser, "perUser");
        this.workers = Objects.requireNonNull(workers, "workers");
    }

    public CompletableFuture<MatrixResponse> dispatch(IncomingRequest request) {
        try {
            return dispatchOrThrow(request).handle((response, failure) ->
                    failure == null ? response : failureResponse(request, failure));
        } catch (RuntimeException failure) {
            return CompletableFuture.completedFuture(failureResponse(request, failure));
        }
    }

    private CompletableFuture<MatrixResponse> dispatchOrThrow(IncomingRequest incoming) {
        if (incoming.method().equalsIgnoreCase("OPTIONS")) {
            // CORS pre-flight: the spec forbids running the endpoint's logic; headers are added later.
            return CompletableFuture.completedFuture(MatrixResponse.json(200, emptyObject()));
        }
        int queryStart = incoming.uri().indexOf('?');
        String path = queryStart < 0 ? incoming.uri() : incoming.uri().substring(0, queryStart);
        String query = queryStart < 0 ? "" : incoming.uri().substring(queryStart + 1);
        Method method = Method.of(incoming.method())
                .orElseThrow(() -> MatrixException.unrecognized(405, "Unrecognized request: method not allowed"));
        RouteTable.RouteMatch match = routes.match(method, path);
        Map<String, List<String>> queryParameters = parseQuery(query);

        long ipWait = perIp.tryAcquire(incoming.remoteAddress());
        if (ipWait > 0) {
            throw MatrixException.limitExceeded(ipWait);
        }
        CompletableFuture<MatrixResponse> result = new CompletableFuture<>();
        try {
            workers.execute(() -> {
                try {
                    CompletionStage<MatrixResponse> stage = runHandler(incoming, method, path, match, queryParameters);
                    stage.whenComplete((response, failure) -> {
                        if (failure != null) {
                            result.completeExceptionally(failure);
                        } else if (response == null) {
                            result.completeExceptionally(new IllegalStateException(match.route() + " answered null"));
                        } else {
                            result.complete(response);
                        }
                    });
                } catch (Throwable failure) {
                    result.completeExceptionally(failure);
                }
            });
        } catch (RejectedExecutionException e) {
            // Every worker is busy and the queue is full: ask the client to come back shortly.
            throw MatrixException.limitExceeded(1000);
        }
        return result;
    }

    private CompletionStage<MatrixResponse> runHandler(IncomingRequest incoming, Method method, String path,
            RouteTable.RouteMatch match, Map<String, List<String>> queryParameters) throws Exception {
        Route route = match.route();
        Requester requester = null;
        if (route.authentication() != Authentication.NONE) {
            Optional<String> token = accessToken(incoming, queryParameters);
            if (token.isPresent()) {
                requester = authenticator.authenticate(token.get());
                long userWait = perUser.tryAcquire(requester.userId().toString());
                if (userWait > 0) {
                    throw MatrixException.limitExceeded(userWait);
                }
            } else if (route.authentication() == Authentication.REQUIRED) {
                throw MatrixException.missingToken();
            }
        }
        MatrixRequest request = new MatrixRequest(method, path, incoming.uri(), match.pathParameters(), queryParameters,
                incoming.headers(), incoming.body(), incoming.remoteAddress(), requester, incoming.carrier());
        return route.handler().handle(request);
    }

    /** The token from {@code Authorization: Bearer}, else from the deprecated query parameter. */
    private static Optional<String> accessToken(IncomingRequest request, Map<String, List<String>> query) {
        String authorization = request.headers().get("authorization");
        if (authorization != null && authorization.length() > BEARER.length()
                && authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            String token = authorization.substring(BEARER.length()).trim();
            if (!token.isEmpty()) {
                return Optional.of(token);
            }
        }
        List<String> fromQuery = query.getOrDefault("access_token", List.of());
        if (!fromQuery.isEmpty() && !fromQuery.get(0).isEmpty()) {
            return Optional.of(fromQuery.get(0));
        }
        return Optional.empty();
    }

    private static Map<String, List<String>> parseQuery(String query) {
        Map<String, List<String>> parameters = new HashMap<>();
        if (query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = PercentDecoding.decode(equals < 0 ? pair : pair.substring(0, equals), true);
            String value = equals < 0 ? "" : PercentDecoding.decode(pair.substring(equals + 1), true);
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private MatrixResponse failureResponse(IncomingRequest request, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof MatrixException matrix) {
            return MatrixResponse.error(matrix);
        }
        long id = failureIds.incrementAndGet();
        LOG.error("request failure #{}: {} {}", id, request.method(), pathOnly(request.uri()), cause);
        return MatrixResponse.error(new MatrixException(500, MatrixException.M_UNKNOWN,
                "Internal server error (failure #" + id + " in the node's log)"));
    }

    /** The path without the query, so that access tokens in the query stay out of the log. */
    private static String pathOnly(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode emptyObject() {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }
}
