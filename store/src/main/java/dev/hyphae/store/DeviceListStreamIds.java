package dev.hyphae.store;

/**
 * The {@code stream_id} of the latest {@code m.device_list_update} this server sent for each of
 * its users, which the next update names as its {@code prev_id} and {@code GET /user/devices}
 * reports. Stream IDs of a user only ever increase.
 */
public interface DeviceListStreamIds {
    /** The stream ID of the user's latest update, or 0 when none was sent. */
    long latest(String userId);

    interface Writer extends DeviceListStreamIds {
        /**
         * Makes {@code streamId} the user's latest.
         *
         * @throws IllegalArgumentException when it is not above the user's latest stream ID
         */
        void advance(String userId, long streamId);
    }
}
