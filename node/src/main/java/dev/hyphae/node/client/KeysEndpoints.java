package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.e2ee.EndToEndEncryption;
import dev.hyphae.node.e2ee.KeyChanges;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.Requester;
import dev.hyphae.node.http.RouteTable;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;

/** Device keys (client-server API, "Key management API"): upload, query, claim, changes. */
public final class KeysEndpoints implements EndpointGroup {
    private static final int MAX_POSITION_DIGITS = 18;

    private final EndToEndEncryption e2ee;
    private final ToLongFunction<String> deviceListPosition;

    /**
     * @param deviceListPosition reads the device list stream position out of a sync token that a
     *                           client passes to {@code /keys/changes}; throws
     *                           {@link MatrixException} for a token it does not know
     */
    public KeysEndpoints(EndToEndEncryption e2ee, ToLongFunction<String> deviceListPosition) {
        this.e2ee = Objects.requireNonNull(e2ee, "e2ee");
        this.deviceListPosition = Objects.requireNonNull(deviceListPosition, "deviceListPosition");
    }

    /** Tokens that are the device list position itself, in decimal. */
    public static long plainPosition(String token) {
        if (token.isEmpty() || token.length() > MAX_POSITION_DIGITS || !token.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw MatrixException.invalidParam("Not a stream token of this server: " + token);
        }
        return Long.parseLong(token);
    }

    @Override
    public void register(RouteTable routes) {
        routes.addAsync(Method.POST, "/_matrix/client/v3/keys/upload", Authentication.REQUIRED, this::upload)
                .addAsync(Method.POST, "/_matrix/client/v3/keys/query", Authentication.REQUIRED, this::query)
                .addAsync(Method.POST, "/_matrix/client/v3/keys/claim", Authentication.REQUIRED, this::claim)
                .add(Method.GET, "/_matrix/client/v3/keys/changes", Authentication.REQUIRED, this::changes);
    }

    /** POST /_matrix/client/v3/keys/upload */
    CompletableFuture<MatrixResponse> upload(MatrixRequest request) {
        Requester requester = request.requester();
        JsonBody body = request.jsonObject();
        return E2eeErrors.callAsync(
                () -> e2ee.keyUploads().upload(requester.userId().toString(), requester.deviceId(), body.raw()),
                KeysEndpoints::oneTimeKeyCounts);
    }

    /** POST /_matrix/client/v3/keys/query */
    CompletableFuture<MatrixResponse> query(MatrixRequest request) {
        Requester requester = request.requester();
        JsonBody body = request.jsonObject();
        return E2eeErrors.callAsync(() -> e2ee.keyQueries().query(requester.userId().toString(), body.raw()),
                MatrixResponse::ok);
    }

    /** POST /_matrix/client/v3/keys/claim */
    CompletableFuture<MatrixResponse> claim(MatrixRequest request) {
        request.requester();
        JsonBody body = request.jsonObject();
        return E2eeErrors.callAsync(() -> e2ee.keyClaims().claim(body.raw()), MatrixResponse::ok);
    }

    /** GET /_matrix/client/v3/keys/changes */
    MatrixResponse changes(MatrixRequest request) {
        Requester requester = request.requester();
        long from = deviceListPosition.applyAsLong(request.queryParameter("from")
                .orElseThrow(() -> MatrixException.missingParam("Missing query parameter 'from'")));
        long to = deviceListPosition.applyAsLong(request.queryParameter("to")
                .orElseThrow(() -> MatrixException.missingParam("Missing query parameter 'to'")));
        KeyChanges changes = E2eeErrors.call(() -> e2ee.deviceLists().changes(requester.userId().toString(), from, to));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode changed = body.putArray("changed");
        changes.changed().forEach(changed::add);
        ArrayNode left = body.putArray("left");
        changes.left().forEach(left::add);
        return MatrixResponse.ok(body);
    }

    private static MatrixResponse oneTimeKeyCounts(Map<String, Integer> counts) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode byAlgorithm = body.putObject("one_time_key_counts");
        counts.forEach(byAlgorithm::put);
        return MatrixResponse.ok(body);
    }
}
