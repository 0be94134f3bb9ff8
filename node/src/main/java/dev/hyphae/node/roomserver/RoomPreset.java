package dev.hyphae.node.roomserver;

import java.util.Arrays;
import java.util.Optional;

/** The {@code preset} of {@code /createRoom}: the join rule, history visibility and guest access it sets. */
public enum RoomPreset {
    PRIVATE_CHAT("private_chat", "invite", "shared", "can_join"),
    /** Like private chat; invitees get the creator's power (v12: they become additional creators). */
    TRUSTED_PRIVATE_CHAT("trusted_private_chat", "invite", "shared", "can_join"),
    PUBLIC_CHAT("public_chat", "public", "shared", "forbidden");

    private final String wireName;
    private final String joinRule;
    private final String historyVisibility;
    private final String guestAccess;

    RoomPreset(String wireName, String joinRule, String historyVisibility, String guestAccess) {
        this.wireName = wireName;
        this.joinRule = joinRule;
        this.historyVisibility = historyVisibility;
        this.guestAccess = guestAccess;
    }

    /** The preset named {@code name} in a request, if it is one of the spec's. */
    public static Optional<RoomPreset> fromWireName(String name) {
        return Arrays.stream(values()).filter(preset -> preset.wireName.equals(name)).findFirst();
    }

    public String wireName() {
        return wireName;
    }

    public String joinRule() {
        return joinRule;
    }

    public String historyVisibility() {
        return historyVisibility;
    }

    public String guestAccess() {
        return guestAccess;
    }
}
