package dev.hyphae.node.federation.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.e2ee.DeviceLists;
import dev.hyphae.node.federation.EduReceiver;
import dev.hyphae.node.federation.outbound.JoinedServers;
import dev.hyphae.store.StoreException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes {@code m.device_list_update} and {@code m.signing_key_update} EDUs: records that the
 * remote user's device list changed, so that {@code /keys/changes} and the {@code device_lists}
 * of {@code /sync} tell local clients to query the keys again, and drops any cached keys of the
 * user. The update itself is not applied: the next key query asks the user's server.
 */
public final class DeviceListUpdateReceiver implements EduReceiver {
    public static final String DEVICE_LIST_UPDATE = "m.device_list_update";
    public static final String SIGNING_KEY_UPDATE = "m.signing_key_update";
    private static final Logger LOG = LoggerFactory.getLogger(DeviceListUpdateReceiver.class);

    private final DeviceLists deviceLists;
    private final String localServer;
    private final Consumer<String> keysInvalidated;

    /**
     * @param keysInvalidated told the user ID whose cached remote keys are stale now (a no-op
     *                        while nothing caches remote keys)
     */
    public DeviceListUpdateReceiver(DeviceLists deviceLists, String localServer, Consumer<String> keysInvalidated) {
        this.deviceLists = Objects.requireNonNull(deviceLists, "deviceLists");
        this.localServer = Objects.requireNonNull(localServer, "localServer");
        this.keysInvalidated = Objects.requireNonNull(keysInvalidated, "keysInvalidated");
    }

    @Override
    public void receive(String origin, JsonNode content) {
        JsonNode user = content == null ? null : content.get("user_id");
        if (user == null || !user.isTextual()) {
            LOG.info("dropping a device list EDU from {}: no user_id", origin);
            return;
        }
        String userId = user.textValue();
        Optional<String> server = JoinedServers.serverOf(userId);
        if (server.isEmpty() || !server.get().equals(origin) || origin.equals(localServer)) {
            LOG.info("dropping a device list EDU from {} about {}: not a user of the origin", origin, userId);
            return;
        }
        try {
            deviceLists.recordChange(userId).join();
        } catch (CompletionException | StoreException e) {
            LOG.warn("recording the device list change of {} failed", userId, e);
            return;
        }
        keysInvalidated.accept(userId);
    }
}
