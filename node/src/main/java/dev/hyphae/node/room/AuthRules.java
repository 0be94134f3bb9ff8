package dev.hyphae.node.room;

/**
 * The authorization rules' per-version differences. Owned by the auth code; {@link #forVersion(int)}
 * is the table from the spec's version texts (rooms/v1.md to v12.md).
 */
public record AuthRules(
        /** v1–v5: {@code m.room.aliases} events have their own rule (removed in v6). */
        boolean specialCaseAliases,
        /** v3+: the auth rules no longer check redactions against the redact level or event ID domains;
         * redactions are allowed when sender domains match, checked again when the redaction is shown. */
        boolean redactionDomainRule,
        /** v6+: the {@code notifications} key of power levels is checked. */
        boolean notificationsPowerLevels,
        /** v7+: the {@code knock} membership and join rule. */
        boolean knocking,
        /** v8+: the {@code restricted} join rule and {@code join_authorised_via_users_server}. */
        boolean restrictedJoinRule,
        /** v10+: the {@code knock_restricted} join rule. */
        boolean knockRestrictedJoinRule,
        /** v10+: power level values must be integers, not strings (before: "stringy" power levels). */
        boolean integerPowerLevels,
        /** v1–v5: power level values may be floats, truncated at the decimal point ("floaty" power levels). */
        boolean floatPowerLevels,
        /** v11+: the room creator is the create event's sender; there is no {@code creator} key. */
        boolean creatorIsSender,
        /** v12: creators ({@code sender} and {@code additional_creators}) have infinite power; the create
         * event has no {@code room_id} and is not among the auth events. */
        boolean roomCreators) {

    public static AuthRules forVersion(int version) {
        return new AuthRules(
                version <= 5,
                version >= 3,
                version >= 6,
                version >= 7,
                version >= 8,
                version >= 10,
                version >= 10,
                version <= 5,
                version >= 11,
                version >= 12);
    }
}
