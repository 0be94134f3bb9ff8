package dev.hyphae.node.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.hyphae.node.e2ee.ToDeviceBatch;
import dev.hyphae.node.e2ee.ToDeviceMessages;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code to_device} section of /sync: the syncing device's inbox after the token, at most
 * {@link ToDeviceMessages#SYNC_LIMIT} messages per answer. A client acknowledges messages by
 * syncing with a token past them; only then are they deleted ("Send-to-Device messaging",
 * "Server behaviour"), so a lost answer is sent again.
 */
final class ToDeviceStreamProvider implements StreamProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ToDeviceStreamProvider.class);

    private final ToDeviceMessages messages;

    ToDeviceStreamProvider(ToDeviceMessages messages) {
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    @Override
    public long latestPosition() {
        return messages.currentPosition();
    }

    @Override
    public long fill(SyncRequest request, long from, long to, SyncResponse response) {
        String user = request.userId();
        String device = request.deviceId();
        if (from > 0) {
            acknowledge(user, device, from);
        }
        ToDeviceBatch batch = messages.pending(user, device, from, ToDeviceMessages.SYNC_LIMIT);
        if (batch.events().isEmpty()) {
            // Every message of this device up to the read is after the batch; later ones get
            // positions past `to`, so the next sync may start at `to`.
            return Math.max(from, to);
        }
        ArrayNode events = response.section("to_device").putArray("events");
        batch.events().forEach(events::add);
        return batch.events().size() < ToDeviceMessages.SYNC_LIMIT ? Math.max(batch.nextPosition(), to)
                : batch.nextPosition();
    }

    /**
     * Deletes what the client acknowledged with {@code since}, before answering, so that an old
     * token never brings back what a newer one acknowledged. A probe read first spares the single
     * writer a write on every sync.
     */
    private void acknowledge(String user, String device, long since) {
        ToDeviceBatch oldest = messages.pending(user, device, 0, 1);
        if (oldest.events().isEmpty() || oldest.nextPosition() > since) {
            return;
        }
        try {
            messages.acknowledge(user, device, since).join();
        } catch (CompletionException | CancellationException e) {
            // The answer is still right: it only reads after `since`. The next sync deletes them.
            LOG.warn("deleting acknowledged to-device messages of {} {} failed", user, device, e);
        }
    }
}
