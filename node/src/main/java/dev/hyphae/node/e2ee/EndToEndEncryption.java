package dev.hyphae.node.e2ee;

import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.store.Store;

import java.time.Clock;
import java.util.Objects;

/** The end-to-end encryption services of one node, built on one store. */
public final class EndToEndEncryption {
    private final DeviceLists deviceLists;
    private final KeyUploads keyUploads;
    private final KeyQueries keyQueries;
    private final KeyClaims keyClaims;
    private final CrossSigning crossSigning;
    private final ToDeviceMessages toDeviceMessages;
    private final KeyBackups keyBackups;

    /**
     * @param localServer the server name of this node: users on it are answered from the store
     * @param remoteKeys  how keys of users on other servers are queried and claimed
     * @param listener    told after commits that a device's streams advanced (to wake /sync)
     */
    public EndToEndEncryption(Store store, ServerName localServer, RemoteKeys remoteKeys, E2eeListener listener,
                              Clock clock) {
        this(store, localServer, remoteKeys, listener, DeviceListPublisher.NONE, clock);
    }

    /**
     * @param publisher given each device list change inside its write unit, to queue the news for
     *                  the other servers that share a room with the user
     */
    public EndToEndEncryption(Store store, ServerName localServer, RemoteKeys remoteKeys, E2eeListener listener,
                              DeviceListPublisher publisher, Clock clock) {
        Objects.requireNonNull(store, "store");
        LocalUsers localUsers = new LocalUsers(localServer);
        this.deviceLists = new DeviceLists(store, listener, publisher);
        this.keyUploads = new KeyUploads(store, deviceLists, listener);
        this.keyQueries = new KeyQueries(store, localUsers, remoteKeys);
        this.keyClaims = new KeyClaims(store, localUsers, remoteKeys, listener);
        this.crossSigning = new CrossSigning(store, deviceLists, localUsers);
        this.toDeviceMessages = new ToDeviceMessages(store, localUsers, listener, clock);
        this.keyBackups = new KeyBackups(store);
    }

    public DeviceLists deviceLists() {
        return deviceLists;
    }

    public KeyUploads keyUploads() {
        return keyUploads;
    }

    public KeyQueries keyQueries() {
        return keyQueries;
    }

    public KeyClaims keyClaims() {
        return keyClaims;
    }

    public CrossSigning crossSigning() {
        return crossSigning;
    }

    public ToDeviceMessages toDeviceMessages() {
        return toDeviceMessages;
    }

    public KeyBackups keyBackups() {
        return keyBackups;
    }
}
