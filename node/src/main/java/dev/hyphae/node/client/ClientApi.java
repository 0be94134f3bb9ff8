package dev.hyphae.node.client;

import dev.hyphae.node.account.AccountService;
import dev.hyphae.node.account.RegistrationTokens;
import dev.hyphae.node.account.UserInteractiveAuth;
import dev.hyphae.node.e2ee.EndToEndEncryption;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.search.RoomEventSearch;
import dev.hyphae.node.search.SearchEndpoints;
import dev.hyphae.node.userdirectory.UserDirectory;
import dev.hyphae.node.userdirectory.UserDirectoryEndpoints;
import dev.hyphae.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.function.ToLongFunction;

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

    /** The content repository's endpoints; {@code maxRequestBodyBytes} is the server's body limit. */
    public static EndpointGroup media(dev.hyphae.node.media.MediaRepository repository, long maxRequestBodyBytes) {
        return new MediaEndpoints(repository, maxRequestBodyBytes);
    }

    /** The room and user data endpoint groups. */
    public static List<EndpointGroup> roomGroups(RoomServices services) {
        return List.of(
                new CreateRoomEndpoints(services.creator()),
                new RoomEventEndpoints(services.sender(), services.queries()),
                new MembershipEndpoints(services.memberships(), services.queries()),
                new MessagesEndpoints(services.queries()),
                new ContextEndpoints(services.queries()),
                new RelationsEndpoints(services.queries()),
                new ProfileEndpoints(services.profiles()),
                new AccountDataEndpoints(services.accountData()),
                new PushRulesEndpoints(services.pushRules()),
                new FilterEndpoints(services.filters()));
    }

    /**
     * The room and user data endpoint groups with the room directory: joins by alias, checked
     * canonical aliases, aliases and publication at room creation, and the directory, tag, forget,
     * report and VoIP groups.
     */
    public static List<EndpointGroup> roomGroups(RoomServices services, DirectoryServices directory) {
        return List.of(
                new CreateRoomEndpoints(services.creator(), directory.aliases(), directory.publicRooms()),
                new RoomEventEndpoints(services.sender(), services.queries(), directory.aliases()::checkCanonicalAlias),
                new MembershipEndpoints(services.memberships(), services.queries(), directory.aliases()::resolve),
                new MessagesEndpoints(services.queries()),
                new ContextEndpoints(services.queries()),
                new RelationsEndpoints(services.queries()),
                new ProfileEndpoints(services.profiles()),
                new AccountDataEndpoints(services.accountData()),
                new PushRulesEndpoints(services.pushRules()),
                new FilterEndpoints(services.filters()),
                new DirectoryEndpoints(directory.aliases(), directory.publicRooms()),
                new RoomTagEndpoints(services.accountData(), directory.store()),
                new ForgetEndpoints(directory.store()),
                new ReportEndpoints(services.queries(), directory.store(), directory.clock()),
                new VoipEndpoints(directory.turn(), directory.clock()));
    }

    /** Registers every group of this package. */
    public static RouteTable register(RouteTable routes, List<EndpointGroup> groups) {
        groups.forEach(routes::register);
        return routes;
    }

    /** The end-to-end encryption groups: keys, cross-signing, send-to-device, key backup. */
    public static List<EndpointGroup> endToEndEncryptionGroups(EndToEndEncryption e2ee, UserInteractiveAuth userInteractiveAuth,
            Store store, Clock clock, ToLongFunction<String> deviceListPosition) {
        return List.of(new KeysEndpoints(e2ee, deviceListPosition), new CrossSigningEndpoints(e2ee, userInteractiveAuth),
                new ToDeviceEndpoints(e2ee, store, clock), new KeyBackupEndpoints(e2ee));
    }

    /** Server-side search and the user directory. */
    public static List<EndpointGroup> searchGroups(RoomEventSearch search, UserDirectory directory) {
        return List.of(
                new SearchEndpoints(search),
                new UserDirectoryEndpoints(directory));
    }
}
