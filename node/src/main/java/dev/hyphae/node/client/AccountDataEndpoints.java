package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.accountdata.AccountDataService;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identifier.UserId;
import java.util.Objects;

/** Client config (client-server API, "Client Config"): a user's global and per-room account data. */
public final class AccountDataEndpoints implements EndpointGroup {
    private final AccountDataService accountData;

    public AccountDataEndpoints(AccountDataService accountData) {
        this.accountData = Objects.requireNonNull(accountData, "accountData");
    }

    @Override
    public void register(RouteTable routes) {
        String user = "/_matrix/client/v3/user/{userId}";
        routes.add(Method.GET, user + "/account_data/{type}", Authentication.REQUIRED, this::getGlobal)
                .add(Method.PUT, user + "/account_data/{type}", Authentication.REQUIRED, this::setGlobal)
                .add(Method.GET, user + "/rooms/{roomId}/account_data/{type}", Authentication.REQUIRED, this::getForRoom)
                .add(Method.PUT, user + "/rooms/{roomId}/account_data/{type}", Authentication.REQUIRED, this::setForRoom);
    }

    /** GET /_matrix/client/v3/user/{userId}/account_data/{type} */
    MatrixResponse getGlobal(MatrixRequest request) {
        UserId user = UserIds.requireSelf(request);
        String type = request.pathParameter("type");
        return MatrixResponse.ok(ServiceErrors.call(() -> accountData.getGlobal(user, type)));
    }

    /** PUT /_matrix/client/v3/user/{userId}/account_data/{type} */
    MatrixResponse setGlobal(MatrixRequest request) {
        UserId user = UserIds.requireSelf(request);
        String type = request.pathParameter("type");
        ObjectNode content = request.jsonObject().raw();
        ServiceErrors.await(ServiceErrors.call(() -> accountData.setGlobal(user, type, content)));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    /** GET /_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type} */
    MatrixResponse getForRoom(MatrixRequest request) {
        UserId user = UserIds.requireSelf(request);
        String roomId = request.pathParameter("roomId");
        String type = request.pathParameter("type");
        return MatrixResponse.ok(ServiceErrors.call(() -> accountData.getForRoom(user, roomId, type)));
    }

    /** PUT /_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type} */
    MatrixResponse setForRoom(MatrixRequest request) {
        UserId user = UserIds.requireSelf(request);
        String roomId = request.pathParameter("roomId");
        String type = request.pathParameter("type");
        ObjectNode content = request.jsonObject().raw();
        ServiceErrors.await(ServiceErrors.call(() -> accountData.setForRoom(user, roomId, type, content)));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
