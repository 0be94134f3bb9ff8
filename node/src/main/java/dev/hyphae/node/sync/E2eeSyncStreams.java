package dev.hyphae.node.sync;

import dev.hyphae.node.e2ee.EndToEndEncryption;
import dev.hyphae.node.roomserver.RoomQueries;
import java.util.List;
import java.util.Objects;

/**
 * The streams end-to-end encryption adds to /sync ({@code to_device}, {@code device_lists},
 * {@code device_one_time_keys_count} with {@code device_unused_fallback_key_types}), for the
 * {@code more} list of {@link SyncEndpoints}. Their waiting syncs are woken by a
 * {@link SyncNotifier} given to {@link EndToEndEncryption} as its listener.
 */
public final class E2eeSyncStreams {
    private final StreamProvider toDevice;
    private final StreamProvider deviceLists;
    private final StreamProvider oneTimeKeyCounts;

    public E2eeSyncStreams(EndToEndEncryption e2ee, RoomQueries queries) {
        Objects.requireNonNull(e2ee, "e2ee");
        this.toDevice = new ToDeviceStreamProvider(e2ee.toDeviceMessages());
        this.deviceLists = new DeviceListStreamProvider(e2ee.deviceLists(), queries);
        this.oneTimeKeyCounts = new OneTimeKeyCountsStreamProvider(e2ee.keyUploads());
    }

    /** The streams, in the order they take in the sync token. */
    public List<StreamProvider> providers() {
        return List.of(toDevice, deviceLists, oneTimeKeyCounts);
    }

    /** The device list stream, whose position in a sync token {@code /keys/changes} reads. */
    public StreamProvider deviceLists() {
        return deviceLists;
    }
}
