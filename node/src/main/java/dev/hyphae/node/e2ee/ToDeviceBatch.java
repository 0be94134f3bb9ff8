package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The to-device messages for one {@code /sync} response.
 *
 * @param events       the {@code to_device.events}: objects with {@code sender}, {@code type}, {@code content}
 * @param nextPosition the inbox position to put in {@code next_batch}; acknowledging it deletes these events
 */
public record ToDeviceBatch(List<ObjectNode> events, long nextPosition) {
    public ToDeviceBatch {
        events = List.copyOf(events);
    }
}
