package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.account.AccountService;
import dev.hyphae.node.account.AuthFlow;
import dev.hyphae.node.account.AuthResult;
import dev.hyphae.node.account.UserInteractiveAuth;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.Requester;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identifier.UserId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The current account: who am I, password change, deactivation. */
public final class AccountEndpoints implements EndpointGroup {
    private static final List<AuthFlow> PASSWORD_FLOW = List.of(AuthFlow.of(AuthFlow.PASSWORD));

    private final AccountService accounts;
    private final UserInteractiveAuth userInteractiveAuth;

    public AccountEndpoints(AccountService accounts, UserInteractiveAuth userInteractiveAuth) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.userInteractiveAuth = Objects.requireNonNull(userInteractiveAuth, "userInteractiveAuth");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.GET, "/_matrix/client/v3/account/whoami", Authentication.REQUIRED, this::whoami)
                .add(Method.POST, "/_matrix/client/v3/account/password", Authentication.OPTIONAL, this::password)
                .add(Method.POST, "/_matrix/client/v3/account/deactivate", Authentication.OPTIONAL, this::deactivate);
    }

    /** GET /_matrix/client/v3/account/whoami */
    MatrixResponse whoami(MatrixRequest request) {
        Requester requester = request.requester();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("user_id", requester.userId().toString());
        body.put("device_id", requester.deviceId());
        body.put("is_guest", false);
        return MatrixResponse.ok(body);
    }

    /**
     * POST /_matrix/client/v3/account/password
     *
     * <p>The access token is optional: without one, the password stage itself names the user.
     */
    MatrixResponse password(MatrixRequest request) {
        Optional<Requester> requester = request.optionalRequester();
        JsonBody body = request.jsonObject();
        String newPassword = body.string("new_password");
        boolean logoutDevices = body.booleanOr("logout_devices", true);
        UserId user = authenticatedUser("POST /account/password", requester, body);
        accounts.changePassword(user, newPassword, logoutDevices, requester.map(Requester::deviceId).orElse(null));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    /**
     * POST /_matrix/client/v3/account/deactivate
     *
     * <p>The access token is optional: without one, the password stage itself names the user.
     */
    MatrixResponse deactivate(MatrixRequest request) {
        Optional<Requester> requester = request.optionalRequester();
        JsonBody body = request.jsonObjectOrEmpty();
        body.optionalString("id_server");
        body.optionalBoolean("erase");
        UserId user = authenticatedUser("POST /account/deactivate", requester, body);
        accounts.deactivate(user);
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        // No third-party identifiers are bound through this node, so there is nothing to unbind.
        response.put("id_server_unbind_result", "no-support");
        return MatrixResponse.ok(response);
    }

    /** The requester, or without a token the user who proved their password; after the password stage. */
    private UserId authenticatedUser(String operation, Optional<Requester> requester, JsonBody body) {
        UserId expected = requester.map(Requester::userId).orElse(null);
        AuthResult result = userInteractiveAuth.authenticate(operation + " " + (expected == null ? "" : expected),
                body.optionalObject("auth"), PASSWORD_FLOW, expected);
        return expected != null ? expected : result.passwordUser()
                .orElseThrow(() -> new IllegalStateException("the password flow always names the user"));
    }
}
