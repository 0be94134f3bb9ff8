package dev.hyphae.node.room;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The room versions this node knows: 1 to 12, with 12 the default for new rooms. */
public final class RoomVersions {
    public static final String DEFAULT = "12";

    private static final Map<String, RoomVersion> KNOWN = build();

    private RoomVersions() {
    }

    /** The version with this identifier, or empty when the node does not support it. */
    public static Optional<RoomVersion> find(String id) {
        return Optional.ofNullable(KNOWN.get(id));
    }

    /** The version with this identifier; throws {@link IllegalArgumentException} when unsupported. */
    public static RoomVersion get(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unsupported room version: " + id));
    }

    public static Map<String, RoomVersion> all() {
        return KNOWN;
    }

    private static Map<String, RoomVersion> build() {
        Map<String, RoomVersion> versions = new LinkedHashMap<>();
        for (int v = 1; v <= 12; v++) {
            EventFormat format = v <= 2 ? EventFormat.V1 : v == 3 ? EventFormat.V2 : EventFormat.V3;
            StateResolutionAlgorithm stateRes = v == 1 ? StateResolutionAlgorithm.V1
                    : v <= 11 ? StateResolutionAlgorithm.V2 : StateResolutionAlgorithm.V2_1;
            String id = Integer.toString(v);
            versions.put(id, new RoomVersion(id, format, RedactionRules.forVersion(v), AuthRules.forVersion(v),
                    stateRes, v >= 5, v >= 6, v >= 11, v >= 12));
        }
        return Collections.unmodifiableMap(versions);
    }
}
