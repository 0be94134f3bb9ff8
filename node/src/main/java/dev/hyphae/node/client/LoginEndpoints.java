package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.account.AccountService;
import dev.hyphae.node.account.IssuedTokens;
import dev.hyphae.node.account.LoginIdentifier;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identifier.UserId;
import java.util.Objects;

/** Login, token refresh and logout (client-server API, "Legacy API": Login, Refreshing, Logout). */
public final class LoginEndpoints implements EndpointGroup {
    private static final String PASSWORD_LOGIN = "m.login.password";

    private final AccountService accounts;
    private final ClientSettings settings;

    public LoginEndpoints(AccountService accounts, ClientSettings settings) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.GET, "/_matrix/client/v3/login", Authentication.NONE, this::loginFlows)
                .add(Method.POST, "/_matrix/client/v3/login", Authentication.NONE, this::login)
                .add(Method.POST, "/_matrix/client/v3/refresh", Authentication.NONE, this::refresh)
                .add(Method.POST, "/_matrix/client/v3/logout", Authentication.REQUIRED, this::logout)
                .add(Method.POST, "/_matrix/client/v3/logout/all", Authentication.REQUIRED, this::logoutAll);
    }

    /** GET /_matrix/client/v3/login */
    MatrixResponse loginFlows(MatrixRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("flows").addObject().put("type", PASSWORD_LOGIN);
        return MatrixResponse.ok(body);
    }

    /** POST /_matrix/client/v3/login */
    MatrixResponse login(MatrixRequest request) {
        JsonBody body = request.jsonObject();
        String type = body.string("type");
        if (!type.equals(PASSWORD_LOGIN)) {
            throw new MatrixException(400, MatrixException.M_UNKNOWN, "Unknown login type " + type);
        }
        String user = LoginIdentifier.user(body);
        String password = body.string("password");
        String deviceId = body.optionalString("device_id").orElse(null);
        String displayName = body.optionalString("initial_device_display_name").orElse(null);
        boolean refreshToken = body.booleanOr("refresh_token", false);
        UserId userId = accounts.checkPassword(user, password);
        IssuedTokens tokens = accounts.logIn(userId, deviceId, displayName, refreshToken, request.remoteAddress());
        ObjectNode response = tokensResponse(tokens);
        settings.baseUrlFor(request).ifPresent(baseUrl ->
                response.putObject("well_known").putObject("m.homeserver").put("base_url", baseUrl));
        return MatrixResponse.ok(response);
    }

    /** POST /_matrix/client/v3/refresh */
    MatrixResponse refresh(MatrixRequest request) {
        JsonBody body = request.jsonObject();
        IssuedTokens tokens = accounts.refresh(body.string("refresh_token"));
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("access_token", tokens.accessToken());
        response.put("refresh_token", tokens.refreshToken());
        response.put("expires_in_ms", tokens.expiresInMs());
        return MatrixResponse.ok(response);
    }

    /** POST /_matrix/client/v3/logout */
    MatrixResponse logout(MatrixRequest request) {
        accounts.logOut(request.requester());
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    /** POST /_matrix/client/v3/logout/all */
    MatrixResponse logoutAll(MatrixRequest request) {
        accounts.logOutAll(request.requester().userId());
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    /** The body of a successful login or registration. */
    static ObjectNode tokensResponse(IssuedTokens tokens) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("user_id", tokens.userId().toString());
        response.put("access_token", tokens.accessToken());
        response.put("device_id", tokens.deviceId());
        // Deprecated, but older clients (matrix-nio among them) still read it.
        response.put("home_server", tokens.userId().serverName().toString());
        if (tokens.refreshToken() != null) {
            response.put("refresh_token", tokens.refreshToken());
            response.put("expires_in_ms", tokens.expiresInMs());
        }
        return response;
    }
}
