package dev.hyphae.node.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One request as a handler sees it: matched route, decoded parameters, body, requester. */
public final class MatrixRequest {
    private static final ObjectMapper STRICT_JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Method method;
    private final String path;
    private final String uri;
    private final Map<String, String> pathParameters;
    private final Map<String, List<String>> queryParameters;
    private final Map<String, String> headers;
    private final byte[] body;
    private final String remoteAddress;
    private final Requester requester;
    private final String carrier;

    /**
     * @param path            the request path as received (still percent-encoded)
     * @param pathParameters  the route's parameters, percent-decoded
     * @param queryParameters the query parameters, percent-decoded
     * @param headers         header values by lower-case name
     * @param remoteAddress   the client's IP address
     * @param requester       who sent the request, or {@code null} when not authenticated
     */
    public MatrixRequest(Method method, String path, Map<String, String> pathParameters,
            Map<String, List<String>> queryParameters, Map<String, String> headers, byte[] body,
            String remoteAddress, Requester requester) {
        this(method, path, path, pathParameters, queryParameters, headers, body, remoteAddress, requester);
    }

    /**
     * As above, with {@code uri}: the request target as received, path and query still
     * percent-encoded, which federation request signatures cover.
     */
    public MatrixRequest(Method method, String path, String uri, Map<String, String> pathParameters,
            Map<String, List<String>> queryParameters, Map<String, String> headers, byte[] body,
            String remoteAddress, Requester requester) {
        this(method, path, uri, pathParameters, queryParameters, headers, body, remoteAddress, requester,
                IncomingRequest.UNKNOWN_CARRIER);
    }

    /**
     * As above, with the {@code carrier} the request arrived over ({@code http}, {@code libp2p},
     * {@code tor}), which a room's transport policy may restrict.
     */
    public MatrixRequest(Method method, String path, String uri, Map<String, String> pathParameters,
            Map<String, List<String>> queryParameters, Map<String, String> headers, byte[] body,
            String remoteAddress, Requester requester, String carrier) {
        this.method = Objects.requireNonNull(method, "method");
        this.path = Objects.requireNonNull(path, "path");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.pathParameters = Map.copyOf(pathParameters);
        this.queryParameters = Map.copyOf(queryParameters);
        this.headers = Map.copyOf(headers);
        this.body = Objects.requireNonNull(body, "body");
        this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress");
        this.requester = requester;
        this.carrier = Objects.requireNonNull(carrier, "carrier");
    }

    /**
     * The same request with another body: for a filter that passes on only part of what was sent,
     * after the signature over the whole was checked.
     */
    public MatrixRequest withBody(byte[] newBody) {
        return new MatrixRequest(method, path, uri, pathParameters, queryParameters, headers,
                Objects.requireNonNull(newBody, "newBody").clone(), remoteAddress, requester, carrier);
    }

    /** What the request arrived over: {@code http}, {@code libp2p}, {@code tor}, or {@code unknown}. */
    public String carrier() {
        return carrier;
    }

    public Method method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The request target as received: path and query, still percent-encoded. */
    public String uri() {
        return uri;
    }

    /** A parameter of the route's path template, percent-decoded. */
    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no path parameter " + name);
        }
        return value;
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParameter(String name) {
        List<String> values = queryParameters.getOrDefault(name, List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public List<String> queryParameters(String name) {
        return queryParameters.getOrDefault(name, List.of());
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    /** The raw body. */
    public byte[] bodyBytes() {
        return body.clone();
    }

    /**
     * The authenticated requester.
     *
     * @throws MatrixException {@code M_MISSING_TOKEN} when the request carried no token (which
     *                         happens only on routes whose token is optional)
     */
    public Requester requester() {
        if (requester == null) {
            throw MatrixException.missingToken();
        }
        return requester;
    }

    /** The requester on routes whose token is optional. */
    public Optional<Requester> optionalRequester() {
        return Optional.ofNullable(requester);
    }

    /**
     * The body as a JSON object.
     *
     * @throws MatrixException {@code M_NOT_JSON} when the body is empty or not JSON (including
     *                         duplicate keys and invalid UTF-8), {@code M_BAD_JSON} when it is JSON
     *                         but not an object
     */
    public JsonBody jsonObject() {
        JsonNode node = json();
        if (!node.isObject()) {
            throw MatrixException.badJson("The request body must be a JSON object");
        }
        return new JsonBody((ObjectNode) node);
    }

    /** The body as a JSON object, or an empty object when the body is empty. */
    public JsonBody jsonObjectOrEmpty() {
        return body.length == 0 ? new JsonBody(STRICT_JSON.createObjectNode()) : jsonObject();
    }

    /** The body as any JSON value; {@code M_NOT_JSON} when it is not JSON. */
    public JsonNode json() {
        if (body.length == 0) {
            throw MatrixException.notJson("The request body is empty; expected JSON");
        }
        try {
            JsonNode node = STRICT_JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw MatrixException.notJson("The request body is empty; expected JSON");
            }
            return node;
        } catch (JacksonException e) {
            throw MatrixException.notJson("The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw MatrixException.notJson("The request body could not be read as JSON");
        }
    }
}
