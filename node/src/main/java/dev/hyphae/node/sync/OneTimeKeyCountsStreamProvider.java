package dev.hyphae.node.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.e2ee.KeyUploads;
import java.util.Objects;

/**
 * {@code device_one_time_keys_count} and {@code device_unused_fallback_key_types} of /sync: the
 * syncing device's current counts, sent with every answer ("Extensions to /sync" of end-to-end
 * encryption) but never news by themselves, so a long poll does not answer for them. The stream has
 * no positions of its own (always 0).
 */
final class OneTimeKeyCountsStreamProvider implements StreamProvider {
    private final KeyUploads keyUploads;

    OneTimeKeyCountsStreamProvider(KeyUploads keyUploads) {
        this.keyUploads = Objects.requireNonNull(keyUploads, "keyUploads");
    }

    @Override
    public long latestPosition() {
        return 0;
    }

    @Override
    public long fill(SyncRequest request, long from, long to, SyncResponse response) {
        ObjectNode counts = JsonNodeFactory.instance.objectNode();
        keyUploads.oneTimeKeyCounts(request.userId(), request.deviceId()).forEach(counts::put);
        response.putAlwaysSent("device_one_time_keys_count", counts);
        // Required: clients read its presence as the server's support for fallback keys.
        ArrayNode fallback = JsonNodeFactory.instance.arrayNode();
        keyUploads.unusedFallbackKeyTypes(request.userId(), request.deviceId()).forEach(fallback::add);
        response.putAlwaysSent("device_unused_fallback_key_types", fallback);
        return 0;
    }
}
