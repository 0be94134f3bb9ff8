package dev.hyphae.store;

import java.util.List;

/** The durable inbox of send-to-device messages of each local device. */
public interface ToDeviceInbox {
    /** The position of the latest message ever added to any inbox, or 0 when there was none. */
    long latestPosition();

    /** Up to {@code limit} of the device's messages after position {@code after}, in position order. */
    List<ToDeviceMessage> after(String userId, String deviceId, long after, int limit);

    interface Writer extends ToDeviceInbox {
        /**
         * Adds a message to the device's inbox and returns its position.
         *
         * @throws StoreException when the device does not exist
         */
        long add(String userId, String deviceId, String sender, String type, String contentJson);

        /** Deletes the device's messages up to and including {@code position}; returns how many. */
        int deleteUpTo(String userId, String deviceId, long position);
    }
}
