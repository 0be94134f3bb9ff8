package dev.hyphae.node.mailbox;

import java.util.Objects;

/**
 * What the recipient finds in an envelope.
 *
 * @param sender  the server name whose key sealed it (authenticated by the static DH)
 * @param payload the sender's content, padding removed
 */
public record OpenedEnvelope(String sender, byte[] payload) {
    public OpenedEnvelope {
        Objects.requireNonNull(sender, "sender");
        payload = Objects.requireNonNull(payload, "payload").clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }
}
