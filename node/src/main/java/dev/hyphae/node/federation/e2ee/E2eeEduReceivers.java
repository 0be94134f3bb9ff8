package dev.hyphae.node.federation.e2ee;

import dev.hyphae.node.e2ee.EndToEndEncryption;
import dev.hyphae.node.federation.EduReceiver;
import java.util.Map;
import java.util.function.Consumer;

/** The EDU receivers of end-to-end encryption, by EDU type, for the transaction endpoint. */
public final class E2eeEduReceivers {
    private E2eeEduReceivers() {
    }

    /**
     * {@code m.direct_to_device}, {@code m.device_list_update} and {@code m.signing_key_update}.
     *
     * @param wake            told each local user with new to-device messages ({@code SyncNotifier::wake})
     * @param keysInvalidated told each remote user whose cached keys are stale
     */
    public static Map<String, EduReceiver> of(EndToEndEncryption e2ee, String localServer, Consumer<String> wake,
            Consumer<String> keysInvalidated) {
        DeviceListUpdateReceiver deviceLists = new DeviceListUpdateReceiver(e2ee.deviceLists(), localServer,
                keysInvalidated);
        return Map.of(
                DirectToDeviceReceiver.EDU_TYPE, new DirectToDeviceReceiver(e2ee.toDeviceMessages(), wake),
                DeviceListUpdateReceiver.DEVICE_LIST_UPDATE, deviceLists,
                DeviceListUpdateReceiver.SIGNING_KEY_UPDATE, deviceLists);
    }

    /**
     * As {@link #of(EndToEndEncryption, String, Consumer, Consumer)}, with device list and signing
     * key updates kept in {@code remoteDeviceLists} before local clients are told of them.
     */
    public static Map<String, EduReceiver> of(EndToEndEncryption e2ee, String localServer, Consumer<String> wake,
            RemoteDeviceLists remoteDeviceLists) {
        Map<String, EduReceiver> receivers = of(e2ee, localServer, wake, user -> { });
        String deviceList = DeviceListUpdateReceiver.DEVICE_LIST_UPDATE;
        String signingKey = DeviceListUpdateReceiver.SIGNING_KEY_UPDATE;
        return Map.of(
                DirectToDeviceReceiver.EDU_TYPE, receivers.get(DirectToDeviceReceiver.EDU_TYPE),
                deviceList, new RemoteDeviceListReceiver(deviceList, remoteDeviceLists, receivers.get(deviceList)),
                signingKey, new RemoteDeviceListReceiver(signingKey, remoteDeviceLists, receivers.get(signingKey)));
    }
}
