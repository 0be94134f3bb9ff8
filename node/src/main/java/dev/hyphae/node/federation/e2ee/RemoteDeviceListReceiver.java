package dev.hyphae.node.federation.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.EduReceiver;
import dev.hyphae.node.federation.outbound.JoinedServers;
import java.util.Objects;

/**
 * Takes {@code m.device_list_update} or {@code m.signing_key_update} EDUs: updates the cached
 * remote device list first, then hands the EDU on (to record the change for local clients), so a
 * client woken by the change never reads the list from before it. An update the list already
 * reflects (a repeated EDU) is not handed on: local clients have nothing new to fetch.
 */
final class RemoteDeviceListReceiver implements EduReceiver {
    private final String eduType;
    private final RemoteDeviceLists lists;
    private final EduReceiver then;

    RemoteDeviceListReceiver(String eduType, RemoteDeviceLists lists, EduReceiver then) {
        this.eduType = Objects.requireNonNull(eduType, "eduType");
        this.lists = Objects.requireNonNull(lists, "lists");
        this.then = Objects.requireNonNull(then, "then");
    }

    @Override
    public void receive(String origin, JsonNode content) {
        if (content instanceof ObjectNode object && object.path("user_id").isTextual()
                && JoinedServers.serverOf(object.get("user_id").textValue()).map(origin::equals).orElse(false)) {
            if (DeviceListUpdateReceiver.DEVICE_LIST_UPDATE.equals(eduType)) {
                if (lists.deviceListUpdate(object) == RemoteDeviceLists.UpdateOutcome.ALREADY_REFLECTED) {
                    return;
                }
            } else {
                lists.signingKeyUpdate(object);
            }
        }
        then.receive(origin, content);
    }
}
