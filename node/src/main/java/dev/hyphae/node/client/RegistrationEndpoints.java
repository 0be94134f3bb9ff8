package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.account.AccountService;
import dev.hyphae.node.account.AuthFlow;
import dev.hyphae.node.account.AuthResult;
import dev.hyphae.node.account.IssuedTokens;
import dev.hyphae.node.account.RegistrationTokens;
import dev.hyphae.node.account.UserInteractiveAuth;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identifier.UserId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** Account registration (client-server API, "Account registration"). */
public final class RegistrationEndpoints implements EndpointGroup {
    private final AccountService accounts;
    private final UserInteractiveAuth userInteractiveAuth;
    private final RegistrationTokens registrationTokens;
    private final ClientSettings settings;

    public RegistrationEndpoints(AccountService accounts, UserInteractiveAuth userInteractiveAuth,
            RegistrationTokens registrationTokens, ClientSettings settings) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.userInteractiveAuth = Objects.requireNonNull(userInteractiveAuth, "userInteractiveAuth");
        this.registrationTokens = Objects.requireNonNull(registrationTokens, "registrationTokens");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.POST, "/_matrix/client/v3/register", Authentication.NONE, this::register)
                .add(Method.GET, "/_matrix/client/v3/register/available", Authentication.NONE, this::available)
                .add(Method.GET, "/_matrix/client/v1/register/m.login.registration_token/validity",
                        Authentication.NONE, this::tokenValidity);
    }

    /** POST /_matrix/client/v3/register */
    MatrixResponse register(MatrixRequest request) {
        String kind = request.queryParameter("kind").orElse("user");
        if (!kind.equals("user")) {
            throw MatrixException.forbidden("Only user accounts can be registered here (no guest access)");
        }
        List<AuthFlow> flows = flows();
        JsonBody body = request.jsonObject();
        Optional<String> username = body.optionalString("username").map(name -> name.toLowerCase(Locale.ROOT));
        String password = body.optionalString("password").orElse(null);
        String deviceId = body.optionalString("device_id").orElse(null);
        String displayName = body.optionalString("initial_device_display_name").orElse(null);
        boolean inhibitLogin = body.booleanOr("inhibit_login", false);
        boolean refreshToken = body.booleanOr("refresh_token", false);
        // A taken or malformed name is reported before authentication, so that no stage is wasted.
        username.ifPresent(accounts::availableUserId);

        AuthResult auth = userInteractiveAuth.authenticate("POST /register", body.optionalObject("auth"), flows, null);

        UserId userId = accounts.createAccount(username.orElseGet(accounts::generateLocalpart), password, false);
        auth.registrationToken().ifPresent(registrationTokens::consume);
        if (inhibitLogin) {
            ObjectNode response = JsonNodeFactory.instance.objectNode();
            response.put("user_id", userId.toString());
            return MatrixResponse.ok(response);
        }
        IssuedTokens tokens = accounts.logIn(userId, deviceId, displayName, refreshToken, request.remoteAddress());
        return MatrixResponse.ok(LoginEndpoints.tokensResponse(tokens));
    }

    /** GET /_matrix/client/v3/register/available */
    MatrixResponse available(MatrixRequest request) {
        String username = request.queryParameter("username")
                .orElseThrow(() -> MatrixException.missingParam("Missing query parameter 'username'"));
        accounts.availableUserId(username.toLowerCase(Locale.ROOT));
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("available", true);
        return MatrixResponse.ok(response);
    }

    /** GET /_matrix/client/v1/register/m.login.registration_token/validity */
    MatrixResponse tokenValidity(MatrixRequest request) {
        String token = request.queryParameter("token")
                .orElseThrow(() -> MatrixException.missingParam("Missing query parameter 'token'"));
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("valid", registrationTokens.isValid(token));
        return MatrixResponse.ok(response);
    }

    /** Open registration offers the dummy stage; otherwise only a registration token lets anyone in. */
    private List<AuthFlow> flows() {
        List<AuthFlow> flows = new ArrayList<>();
        if (settings.openRegistration()) {
            flows.add(AuthFlow.of(AuthFlow.DUMMY));
        }
        if (settings.openRegistration() || !registrationTokens.isEmpty()) {
            flows.add(AuthFlow.of(AuthFlow.REGISTRATION_TOKEN));
        }
        if (flows.isEmpty()) {
            throw MatrixException.forbidden("Registration is closed on this node; its owner creates accounts");
        }
        return flows;
    }
}
