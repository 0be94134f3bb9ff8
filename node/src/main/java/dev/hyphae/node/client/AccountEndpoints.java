package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.account.AccountService;
import dev.hyphae.node.account.AuthFlow;
import dev.hyphae.node.account.UserInteractiveAuth;
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
                .add(Method.POST, "/_matrix/client/v3/account/password", Authentication.REQUIRED, this::password)
                .add(Method.POST, "/_matrix/client/v3/account/deactivate", Authentication.REQUIRED, this::deactivate);
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

    /** POST /_matrix/client/v3/account/password */
    MatrixResponse password(MatrixRequest request) {
        Requester requester = request.requester();
        JsonBody body = request.jsonObject();
        String newPassword = body.string("new_password");
        boolean logoutDevices = body.booleanOr("logout_devices", true);
        userInteractiveAuth.authenticate("POST /account/password " + requester.userId(), body.optionalObject("auth"),
                PASSWORD_FLOW, requester.userId());
        accounts.changePassword(requester.userId(), newPassword, logoutDevices, requester.deviceId());
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    /** POST /_matrix/client/v3/account/deactivate */
    MatrixResponse deactivate(MatrixRequest request) {
        Requester requester = request.requester();
        JsonBody body = request.jsonObjectOrEmpty();
        body.optionalString("id_server");
        body.optionalBoolean("erase");
        userInteractiveAuth.authenticate("POST /account/deactivate " + requester.userId(), body.optionalObject("auth"),
                PASSWORD_FLOW, requester.userId());
        accounts.deactivate(requester.userId());
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        // No third-party identifiers are bound through this node, so there is nothing to unbind.
        response.put("id_server_unbind_result", "no-support");
        return MatrixResponse.ok(response);
    }
}
