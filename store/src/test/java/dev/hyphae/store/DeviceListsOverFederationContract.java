package dev.hyphae.store;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract: the stream IDs of device list updates sent per local user, and cached remote device lists. */
public interface DeviceListsOverFederationContract extends StoreFixture {
    String REMOTE = "@bob:remote.onion";

    @Test
    default void deviceListStreamIdsStartAtZeroAndOnlyIncreasePerUser() {
        assertEquals(0L, (long) store().read(tx -> tx.deviceListStreamIds().latest(ALICE)));
        write(tx -> {
            tx.deviceListStreamIds().advance(ALICE, 5);
            tx.deviceListStreamIds().advance(ALICE, 7);
            return null;
        });
        write(tx -> {
            tx.deviceListStreamIds().advance("@carol:example.onion", 2);
            return null;
        });
        assertEquals(7L, (long) store().read(tx -> tx.deviceListStreamIds().latest(ALICE)));
        assertEquals(2L, (long) store().read(tx -> tx.deviceListStreamIds().latest("@carol:example.onion")));

        assertInstanceOf(IllegalArgumentException.class, failureOf(store().write(tx -> {
            tx.deviceListStreamIds().advance(ALICE, 7);
            return null;
        })));
        reopenStore();
        assertEquals(7L, (long) store().read(tx -> tx.deviceListStreamIds().latest(ALICE)),
                "a refused stream ID leaves the latest, and the latest survives a reopen");
    }

    @Test
    default void remoteDeviceListsAreCachedReplacedSurviveAReopenAndAreForgotten() {
        assertEquals(Optional.empty(), store().read(tx -> tx.remoteDeviceLists().get(REMOTE)));
        write(tx -> {
            tx.remoteDeviceLists().put(REMOTE, "{\"v\":1}");
            tx.remoteDeviceLists().put(REMOTE, "{\"v\":2}");
            return null;
        });
        reopenStore();
        assertEquals(Optional.of("{\"v\":2}"), store().read(tx -> tx.remoteDeviceLists().get(REMOTE)));

        assertTrue(writeFlag(tx -> tx.remoteDeviceLists().delete(REMOTE)));
        assertFalse(writeFlag(tx -> tx.remoteDeviceLists().delete(REMOTE)));
        assertEquals(Optional.empty(), store().read(tx -> tx.remoteDeviceLists().get(REMOTE)));
    }
}
