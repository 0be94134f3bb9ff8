package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;

/**
 * Sends EDUs that may be lost on a restart (typing, receipts, presence) to other servers, batched
 * into the next transactions. EDUs that must survive a restart (to-device messages, device list
 * updates) are queued durably by the federation sender instead.
 */
@FunctionalInterface
public interface EduOutbox {
    /** Queues one EDU for each destination (this node's own name among them is skipped). */
    void send(Collection<String> destinations, String eduType, JsonNode content);

    /** An outbox for a node that does not federate. */
    EduOutbox NONE = (destinations, eduType, content) -> { };
}
