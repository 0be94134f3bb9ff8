package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.account.AccountService;
import dev.hyphae.node.account.AuthFlow;
import dev.hyphae.node.account.UserInteractiveAuth;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.Requester;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.store.Device;
import java.util.List;
import java.util.Objects;

/** Device management (client-server API, "Device Management"). */
public final class DeviceEndpoints implements EndpointGroup {
    private static final List<AuthFlow> PASSWORD_FLOW = List.of(AuthFlow.of(AuthFlow.PASSWORD));

    private final AccountService accounts;
    private final UserInteractiveAuth userInteractiveAuth;

    public DeviceEndpoints(AccountService accounts, UserInteractiveAuth userInteractiveAuth) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.userInteractiveAuth = Objects.requireNonNull(userInteractiveAuth, "userInteractiveAuth");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.GET, "/_matrix/client/v3/devices", Authentication.REQUIRED, this::devices)
                .add(Method.GET, "/_matrix/client/v3/devices/{deviceId}", Authentication.REQUIRED, this::device)
                .add(Method.PUT, "/_matrix/client/v3/devices/{deviceId}", Authentication.REQUIRED, this::updateDevice)
                .add(Method.DELETE, "/_matrix/client/v3/devices/{deviceId}", Authentication.REQUIRED, this::deleteDevice)
                .add(Method.POST, "/_matrix/client/v3/delete_devices", Authentication.REQUIRED, this::deleteDevices);
    }

    /** GET /_matrix/client/v3/devices */
    MatrixResponse devices(MatrixRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode devices = body.putArray("devices");
        for (Device device : accounts.devices(request.requester().userId())) {
            devices.add(deviceJson(device));
        }
        return MatrixResponse.ok(body);
    }

    /** GET /_matrix/client/v3/devices/{deviceId} */
    MatrixResponse device(MatrixRequest request) {
        String deviceId = request.pathParameter("deviceId");
        Device device = accounts.device(request.requester().userId(), deviceId)
                .orElseThrow(() -> MatrixException.notFound("No such device"));
        return MatrixResponse.ok(deviceJson(device));
    }

    /** PUT /_matrix/client/v3/devices/{deviceId} */
    MatrixResponse updateDevice(MatrixRequest request) {
        Requester requester = request.requester();
        String deviceId = request.pathParameter("deviceId");
        JsonBody body = request.jsonObject();
        // Creating devices this way is for application services only; clients may only rename.
        Device device = accounts.device(requester.userId(), deviceId)
                .orElseThrow(() -> MatrixException.notFound("No such device"));
        body.optionalString("display_name").ifPresent(name ->
                accounts.renameDevice(requester.userId(), device.deviceId(), name));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    /** DELETE /_matrix/client/v3/devices/{deviceId} */
    MatrixResponse deleteDevice(MatrixRequest request) {
        Requester requester = request.requester();
        String deviceId = request.pathParameter("deviceId");
        JsonBody body = request.jsonObjectOrEmpty();
        if (accounts.device(requester.userId(), deviceId).isEmpty()) {
            throw MatrixException.notFound("No such device");
        }
        userInteractiveAuth.authenticate("DELETE /devices/" + deviceId + " " + requester.userId(),
                body.optionalObject("auth"), PASSWORD_FLOW, requester.userId());
        accounts.deleteDevices(requester.userId(), List.of(deviceId));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    /** POST /_matrix/client/v3/delete_devices */
    MatrixResponse deleteDevices(MatrixRequest request) {
        Requester requester = request.requester();
        JsonBody body = request.jsonObject();
        List<String> deviceIds = body.strings("devices");
        userInteractiveAuth.authenticate("POST /delete_devices " + requester.userId() + " " + deviceIds,
                body.optionalObject("auth"), PASSWORD_FLOW, requester.userId());
        accounts.deleteDevices(requester.userId(), deviceIds);
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    private static ObjectNode deviceJson(Device device) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("device_id", device.deviceId());
        if (device.displayName() != null) {
            json.put("display_name", device.displayName());
        }
        if (device.lastSeenIp() != null) {
            json.put("last_seen_ip", device.lastSeenIp());
        }
        if (device.lastSeenTs() != null) {
            json.put("last_seen_ts", device.lastSeenTs());
        }
        return json;
    }
}
