package dev.hyphae.node.room;

/**
 * The authorization rules' per-version differences. Owned by the auth code; {@link #forVersion(int)}
 * is the table from the spec's version texts.
 */
public record AuthRules(
        /** v1–v5: {@code m.room.aliases} events have their own rule. */
        boolean specialCaseAliases,
        /** v3+: redaction allowed when sender domains match, checked again when the redaction is shown. */
        boolean redactionDomainRule,
        /** v6+: the {@code notifications} key of power levels is checked. */
        boolean notificationsPowerLevels,
        /** v7+: the {@code knock} membership and join rule. */
        boolean knocking,
        /** v8+: the {@code restricted} join rule. */
        boolean restrictedJoinRule,
        /** v10+: the {@code knock_restricted} join rule. */
        boolean knockRestrictedJoinRule,
        /** v10+: power level values must be integers, not strings. */
        boolean integerPowerLevels,
        /** v11+: the room creator is the create event's sender; there is no {@code creator} key. */
        boolean creatorIsSender,
        /** v12: creators ({@code sender} and {@code additional_creators}) have infinite power. */
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
                version >= 11,
                version >= 12);
    }
}
