package dev.hyphae.store;

import java.util.Objects;

/**
 * A send-to-device message waiting in a device's inbox.
 *
 * @param position    the inbox stream position: messages are delivered in position order
 * @param contentJson the message content as a JSON object text
 */
public record ToDeviceMessage(long position, String sender, String type, String contentJson) {
    public ToDeviceMessage {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(contentJson, "contentJson");
    }
}
