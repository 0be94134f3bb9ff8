package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.account.AuthFlow;
import dev.hyphae.node.account.UserInteractiveAuth;
import dev.hyphae.node.e2ee.EndToEndEncryption;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.Requester;
import dev.hyphae.node.http.RouteTable;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Cross-signing (client-server API, "Cross-signing"): publishing signing keys and signatures. */
public final class CrossSigningEndpoints implements EndpointGroup {
    private static final List<AuthFlow> PASSWORD_FLOW = List.of(AuthFlow.of(AuthFlow.PASSWORD));

    private final EndToEndEncryption e2ee;
    private final UserInteractiveAuth userInteractiveAuth;

    public CrossSigningEndpoints(EndToEndEncryption e2ee, UserInteractiveAuth userInteractiveAuth) {
        this.e2ee = Objects.requireNonNull(e2ee, "e2ee");
        this.userInteractiveAuth = Objects.requireNonNull(userInteractiveAuth, "userInteractiveAuth");
    }

    @Override
    public void register(RouteTable routes) {
        routes.addAsync(Method.POST, "/_matrix/client/v3/keys/device_signing/upload", Authentication.REQUIRED,
                        this::uploadSigningKeys)
                .addAsync(Method.POST, "/_matrix/client/v3/keys/signatures/upload", Authentication.REQUIRED,
                        this::uploadSignatures);
    }

    /**
     * POST /_matrix/client/v3/keys/device_signing/upload
     *
     * <p>The first upload needs no authentication; replacing a published key needs the password,
     * as the service decides.
     */
    CompletableFuture<MatrixResponse> uploadSigningKeys(MatrixRequest request) {
        Requester requester = request.requester();
        JsonBody body = request.jsonObject();
        String userId = requester.userId().toString();
        ObjectNode keys = body.raw().deepCopy();
        keys.remove("auth");
        if (E2eeErrors.call(() -> e2ee.crossSigning().requiresUserInteractiveAuth(userId, keys))) {
            userInteractiveAuth.authenticate("POST /keys/device_signing/upload " + userId,
                    body.optionalObject("auth"), PASSWORD_FLOW, requester.userId());
        }
        return E2eeErrors.callAsync(() -> e2ee.crossSigning().uploadSigningKeys(userId, keys),
                done -> MatrixResponse.ok(JsonNodeFactory.instance.objectNode()));
    }

    /** POST /_matrix/client/v3/keys/signatures/upload */
    CompletableFuture<MatrixResponse> uploadSignatures(MatrixRequest request) {
        Requester requester = request.requester();
        JsonBody body = request.jsonObject();
        return E2eeErrors.callAsync(
                () -> e2ee.crossSigning().uploadSignatures(requester.userId().toString(), body.raw()),
                MatrixResponse::ok);
    }
}
