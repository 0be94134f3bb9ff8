package dev.hyphae.node.room;

/**
 * The redaction algorithm's per-version differences (rooms v1–v12): which keys survive redaction.
 * {@link #forVersion(int)} is the table from the spec's version texts; the algorithm itself is
 * {@code dev.hyphae.node.event.Redaction}.
 */
public record RedactionRules(
        /** v1–v5 keep {@code aliases} of {@code m.room.aliases}; v6 drops it. */
        boolean keepsAliases,
        /** v8+: {@code allow} of {@code m.room.join_rules}. */
        boolean keepsJoinRulesAllow,
        /** v9+: {@code join_authorised_via_users_server} of {@code m.room.member}. */
        boolean keepsJoinAuthorisedViaUsersServer,
        /** v11+: the v11 algorithm (whole create content, {@code invite} in power levels, {@code signed}
         * in member third-party invites, {@code redacts} in redaction content, and no top-level
         * {@code origin}, {@code membership} or {@code prev_state}). */
        boolean v11Rules) {

    public static RedactionRules forVersion(int version) {
        return new RedactionRules(version <= 5, version >= 8, version >= 9, version >= 11);
    }
}
