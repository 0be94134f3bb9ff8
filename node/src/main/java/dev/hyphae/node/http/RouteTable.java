package dev.hyphae.node.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The routes of the server, added by each {@link EndpointGroup}. A path template is split at
 * {@code /}; a segment {@code {name}} matches any one segment, and literal segments win over
 * parameters. A template under {@code /_matrix/client/v3/} or {@code /_matrix/media/v3/} is also
 * reachable under {@code r0}, which older clients such as matrix-nio still use.
 *
 * <p>Routes are added while the node is assembled, before the server starts; matching is then
 * read-only and safe from any thread.
 */
public final class RouteTable {
    private static final List<String> VERSIONED_PREFIXES = List.of("/_matrix/client/", "/_matrix/media/");

    private final Node root = new Node();
    private final List<Route> routes = new ArrayList<>();

    /** Adds a handler that answers on its worker thread. */
    public RouteTable add(Method method, String template, Authentication authentication, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        return addAsync(method, template, authentication,
                request -> CompletableFuture.completedFuture(handler.handle(request)));
    }

    /** Adds a handler that answers with a future, for requests that wait (long polls). */
    public RouteTable addAsync(Method method, String template, Authentication authentication, AsyncHandler handler) {
        Route route = new Route(method, template, authentication, handler);
        List<String> segments = templateSegments(template);
        insert(segments, route);
        for (String prefix : VERSIONED_PREFIXES) {
            if (template.startsWith(prefix + "v3/")) {
                insert(templateSegments(prefix + "r0/" + template.substring(prefix.length() + 3)), route);
            }
        }
        routes.add(route);
        return this;
    }

    /** Lets a group add its routes. */
    public RouteTable register(EndpointGroup group) {
        group.register(this);
        return this;
    }

    /** Every route added, in order (each once, under its own template). */
    public List<Route> routes() {
        return Collections.unmodifiableList(routes);
    }

    /**
     * Finds the route for a request path (still percent-encoded, without the query).
     *
     * @throws MatrixException 404 {@code M_UNRECOGNIZED} for an unknown path, 405
     *                         {@code M_UNRECOGNIZED} for a known path with another method, 400 for
     *                         malformed percent-encoding
     */
    public RouteMatch match(Method method, String rawPath) {
        if (!rawPath.startsWith("/")) {
            throw MatrixException.unrecognized(404, "Unrecognized request");
        }
        String[] raw = rawPath.substring(1).split("/", -1);
        String[] segments = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            segments[i] = PercentDecoding.decode(raw[i], false);
        }
        Map<String, String> parameters = new HashMap<>();
        Node found = find(root, segments, 0, parameters, method);
        if (found != null) {
            return new RouteMatch(found.routes.get(method), Map.copyOf(parameters));
        }
        if (find(root, segments, 0, new HashMap<>(), null) != null) {
            throw MatrixException.unrecognized(405, "Unrecognized request: method not allowed");
        }
        throw MatrixException.unrecognized(404, "Unrecognized request");
    }

    /** Finds a node for the segments from {@code i}, with {@code method} (any, when null). */
    private static Node find(Node node, String[] segments, int i, Map<String, String> parameters, Method method) {
        if (i == segments.length) {
            boolean accepts = method == null ? !node.routes.isEmpty() : node.routes.containsKey(method);
            return accepts ? node : null;
        }
        Node literal = node.literals.get(segments[i]);
        if (literal != null) {
            Node found = find(literal, segments, i + 1, parameters, method);
            if (found != null) {
                return found;
            }
        }
        if (node.parameter != null) {
            Node found = find(node.parameter, segments, i + 1, parameters, method);
            if (found != null) {
                parameters.put(node.parameterName, segments[i]);
                return found;
            }
        }
        return null;
    }

    private void insert(List<String> segments, Route route) {
        Node node = root;
        for (String segment : segments) {
            if (isParameter(segment)) {
                String name = segment.substring(1, segment.length() - 1);
                if (node.parameter == null) {
                    node.parameter = new Node();
                    node.parameterName = name;
                } else if (!node.parameterName.equals(name)) {
                    throw new IllegalArgumentException("route " + route + " names parameter {" + name
                            + "} where another route names it {" + node.parameterName + "}");
                }
                node = node.parameter;
            } else {
                node = node.literals.computeIfAbsent(segment, s -> new Node());
            }
        }
        if (node.routes.putIfAbsent(route.method(), route) != null) {
            throw new IllegalStateException("route " + route + " is already registered");
        }
    }

    private static List<String> templateSegments(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a path template starts with '/': " + template);
        }
        List<String> segments = List.of(template.substring(1).split("/", -1));
        for (String segment : segments) {
            if ((segment.contains("{") || segment.contains("}")) && !isParameter(segment)) {
                throw new IllegalArgumentException("a parameter must be a whole segment: " + template);
            }
        }
        return segments;
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    /** A matched route with its percent-decoded path parameters. */
    public record RouteMatch(Route route, Map<String, String> pathParameters) {
    }

    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        final Map<Method, Route> routes = new EnumMap<>(Method.class);
        Node parameter;
        String parameterName;
    }
}
