package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.e2ee.EndToEndEncryption;
import dev.hyphae.node.e2ee.KeyBackups;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Server-side key backups (client-server API, "Server-side key backups"). */
public final class KeyBackupEndpoints implements EndpointGroup {
    private static final String VERSION = "/_matrix/client/v3/room_keys/version";
    private static final String KEYS = "/_matrix/client/v3/room_keys/keys";

    private final KeyBackups backups;

    public KeyBackupEndpoints(EndToEndEncryption e2ee) {
        this.backups = Objects.requireNonNull(e2ee, "e2ee").keyBackups();
    }

    @Override
    public void register(RouteTable routes) {
        routes.addAsync(Method.POST, VERSION, Authentication.REQUIRED, this::createVersion)
                .add(Method.GET, VERSION, Authentication.REQUIRED, this::latestVersion)
                .add(Method.GET, VERSION + "/{version}", Authentication.REQUIRED, this::version)
                .addAsync(Method.PUT, VERSION + "/{version}", Authentication.REQUIRED, this::updateVersion)
                .addAsync(Method.DELETE, VERSION + "/{version}", Authentication.REQUIRED, this::deleteVersion)
                .addAsync(Method.PUT, KEYS, Authentication.REQUIRED, this::putKeys)
                .addAsync(Method.PUT, KEYS + "/{roomId}", Authentication.REQUIRED, this::putRoomKeys)
                .addAsync(Method.PUT, KEYS + "/{roomId}/{sessionId}", Authentication.REQUIRED, this::putSessionKey)
                .add(Method.GET, KEYS, Authentication.REQUIRED, this::getKeys)
                .add(Method.GET, KEYS + "/{roomId}", Authentication.REQUIRED, this::getRoomKeys)
                .add(Method.GET, KEYS + "/{roomId}/{sessionId}", Authentication.REQUIRED, this::getSessionKey)
                .addAsync(Method.DELETE, KEYS, Authentication.REQUIRED, this::deleteKeys)
                .addAsync(Method.DELETE, KEYS + "/{roomId}", Authentication.REQUIRED, this::deleteRoomKeys)
                .addAsync(Method.DELETE, KEYS + "/{roomId}/{sessionId}", Authentication.REQUIRED, this::deleteSessionKey);
    }

    /** POST /_matrix/client/v3/room_keys/version */
    CompletableFuture<MatrixResponse> createVersion(MatrixRequest request) {
        String userId = user(request);
        JsonBody body = request.jsonObject();
        return E2eeErrors.callAsync(() -> backups.createVersion(userId, body.raw()), version -> {
            ObjectNode answer = JsonNodeFactory.instance.objectNode();
            answer.put("version", version);
            return MatrixResponse.ok(answer);
        });
    }

    /**
     * GET /_matrix/client/v3/room_keys/version
     *
     * <p>Without any backup the answer is 404 M_NOT_FOUND, which matrix-js-sdk takes as "no backup".
     */
    MatrixResponse latestVersion(MatrixRequest request) {
        String userId = user(request);
        return MatrixResponse.ok(E2eeErrors.call(() -> backups.latestVersion(userId)));
    }

    /** GET /_matrix/client/v3/room_keys/version/{version} */
    MatrixResponse version(MatrixRequest request) {
        String userId = user(request);
        String version = request.pathParameter("version");
        return MatrixResponse.ok(E2eeErrors.call(() -> backups.version(userId, version)));
    }

    /** PUT /_matrix/client/v3/room_keys/version/{version} */
    CompletableFuture<MatrixResponse> updateVersion(MatrixRequest request) {
        String userId = user(request);
        String version = request.pathParameter("version");
        JsonBody body = request.jsonObject();
        return E2eeErrors.callAsync(() -> backups.updateVersion(userId, version, body.raw()), done -> empty());
    }

    /** DELETE /_matrix/client/v3/room_keys/version/{version} */
    CompletableFuture<MatrixResponse> deleteVersion(MatrixRequest request) {
        String userId = user(request);
        String version = request.pathParameter("version");
        return E2eeErrors.callAsync(() -> backups.deleteVersion(userId, version), done -> empty());
    }

    /** PUT /_matrix/client/v3/room_keys/keys */
    CompletableFuture<MatrixResponse> putKeys(MatrixRequest request) {
        String userId = user(request);
        String version = versionParameter(request);
        JsonBody body = request.jsonObject();
        return E2eeErrors.callAsync(() -> backups.putKeys(userId, version, body.raw()), MatrixResponse::ok);
    }

    /** PUT /_matrix/client/v3/room_keys/keys/{roomId} */
    CompletableFuture<MatrixResponse> putRoomKeys(MatrixRequest request) {
        String userId = user(request);
        String version = versionParameter(request);
        String roomId = request.pathParameter("roomId");
        JsonBody body = request.jsonObject();
        return E2eeErrors.callAsync(() -> backups.putRoomKeys(userId, version, roomId, body.raw()), MatrixResponse::ok);
    }

    /** PUT /_matrix/client/v3/room_keys/keys/{roomId}/{sessionId} */
    CompletableFuture<MatrixResponse> putSessionKey(MatrixRequest request) {
        String userId = user(request);
        String version = versionParameter(request);
        String roomId = request.pathParameter("roomId");
        String sessionId = request.pathParameter("sessionId");
        JsonBody body = request.jsonObject();
        return E2eeErrors.callAsync(() -> backups.putSessionKey(userId, version, roomId, sessionId, body.raw()),
                MatrixResponse::ok);
    }

    /** GET /_matrix/client/v3/room_keys/keys */
    MatrixResponse getKeys(MatrixRequest request) {
        return readKeys(request, null, null);
    }

    /** GET /_matrix/client/v3/room_keys/keys/{roomId} */
    MatrixResponse getRoomKeys(MatrixRequest request) {
        return readKeys(request, request.pathParameter("roomId"), null);
    }

    /** GET /_matrix/client/v3/room_keys/keys/{roomId}/{sessionId} */
    MatrixResponse getSessionKey(MatrixRequest request) {
        return readKeys(request, request.pathParameter("roomId"), request.pathParameter("sessionId"));
    }

    /** DELETE /_matrix/client/v3/room_keys/keys */
    CompletableFuture<MatrixResponse> deleteKeys(MatrixRequest request) {
        return removeKeys(request, null, null);
    }

    /** DELETE /_matrix/client/v3/room_keys/keys/{roomId} */
    CompletableFuture<MatrixResponse> deleteRoomKeys(MatrixRequest request) {
        return removeKeys(request, request.pathParameter("roomId"), null);
    }

    /** DELETE /_matrix/client/v3/room_keys/keys/{roomId}/{sessionId} */
    CompletableFuture<MatrixResponse> deleteSessionKey(MatrixRequest request) {
        return removeKeys(request, request.pathParameter("roomId"), request.pathParameter("sessionId"));
    }

    private MatrixResponse readKeys(MatrixRequest request, String roomId, String sessionId) {
        String userId = user(request);
        String version = versionParameter(request);
        return MatrixResponse.ok(E2eeErrors.call(() -> backups.getKeys(userId, version, roomId, sessionId)));
    }

    private CompletableFuture<MatrixResponse> removeKeys(MatrixRequest request, String roomId, String sessionId) {
        String userId = user(request);
        String version = versionParameter(request);
        return E2eeErrors.callAsync(() -> backups.deleteKeys(userId, version, roomId, sessionId), MatrixResponse::ok);
    }

    private static String user(MatrixRequest request) {
        return request.requester().userId().toString();
    }

    /** The backup version every {@code /room_keys/keys} request names in its query. */
    private static String versionParameter(MatrixRequest request) {
        return request.queryParameter("version")
                .orElseThrow(() -> MatrixException.missingParam("Missing query parameter 'version'"));
    }

    private static MatrixResponse empty() {
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
