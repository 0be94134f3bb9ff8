package dev.hyphae.node.federation.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.e2ee.ToDeviceMessages;
import dev.hyphae.node.federation.EduReceiver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes {@code m.direct_to_device} EDUs: puts each message in the durable to-device inbox of the
 * addressed local devices, then wakes the recipients' waiting syncs. A message ID seen recently
 * from the same origin is delivered once (a sender may resend a transaction it did not hear the
 * answer to under a new transaction ID).
 */
public final class DirectToDeviceReceiver implements EduReceiver {
    public static final String EDU_TYPE = "m.direct_to_device";
    private static final Logger LOG = LoggerFactory.getLogger(DirectToDeviceReceiver.class);
    private static final int REMEMBERED_MESSAGE_IDS = 10_000;

    private final ToDeviceMessages toDevice;
    private final Consumer<String> wake;
    private final Map<String, Boolean> seen = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_MESSAGE_IDS;
        }
    };

    /**
     * @param wake told the user ID of each addressed user once the messages are stored, for
     *             example {@code SyncNotifier::wake}
     */
    public DirectToDeviceReceiver(ToDeviceMessages toDevice, Consumer<String> wake) {
        this.toDevice = Objects.requireNonNull(toDevice, "toDevice");
        this.wake = Objects.requireNonNull(wake, "wake");
    }

    @Override
    public void receive(String origin, JsonNode content) {
        if (!(content instanceof ObjectNode object)) {
            LOG.info("dropping m.direct_to_device from {}: content is not an object", origin);
            return;
        }
        String messageId = object.path("message_id").isTextual() ? origin + "\n" + object.get("message_id").textValue() : null;
        if (messageId != null && alreadySeen(messageId)) {
            LOG.debug("dropping repeated m.direct_to_device {} from {}", messageId, origin);
            return;
        }
        try {
            // Stored before the transaction is answered: the sender drops what we acknowledged.
            toDevice.receiveFromFederation(origin, object).join();
        } catch (CompletionException e) {
            LOG.info("dropping m.direct_to_device from {}: {}", origin,
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.info("dropping m.direct_to_device from {}: {}", origin, e.getMessage());
            return;
        }
        if (messageId != null) {
            synchronized (seen) {
                seen.put(messageId, Boolean.TRUE);
            }
        }
        List<String> users = new ArrayList<>();
        object.path("messages").fieldNames().forEachRemaining(users::add);
        users.forEach(wake);
    }

    private boolean alreadySeen(String messageId) {
        synchronized (seen) {
            return seen.containsKey(messageId);
        }
    }
}
