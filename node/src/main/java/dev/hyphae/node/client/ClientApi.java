package dev.hyphae.node.client;

import dev.hyphae.node.account.AccountService;
import dev.hyphae.node.account.RegistrationTokens;
import dev.hyphae.node.account.UserInteractiveAuth;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.RouteTable;
import java.util.List;

/**
 * The client endpoint groups of this package. Each group registers its own routes; this class only
 * names the groups, so adding an endpoint never touches it.
 */
public final class ClientApi {
    private ClientApi() {
    }

    public static List<EndpointGroup> groups(AccountService accounts, UserInteractiveAuth userInteractiveAuth,
            RegistrationTokens registrationTokens, ClientSettings settings) {
        return List.of(
                new WellKnownEndpoints(settings),
                new VersionsEndpoints(),
                new CapabilitiesEndpoints(),
                new RegistrationEndpoints(accounts, userInteractiveAuth, registrationTokens, settings),
                new LoginEndpoints(accounts, settings),
                new AccountEndpoints(accounts, userInteractiveAuth),
                new DeviceEndpoints(accounts, userInteractiveAuth));
    }

    /** Registers every group of this package. */
    public static RouteTable register(RouteTable routes, List<EndpointGroup> groups) {
        groups.forEach(routes::register);
        return routes;
    }
}
