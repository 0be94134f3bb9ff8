package dev.hyphae.node.room;

/**
 * The redaction algorithm's per-version differences (rooms v1–v12): which keys survive redaction.
 * Owned by the redaction code; {@link #forVersion(int)} is the table from the spec's version texts.
 */
public record RedactionRules(
        /** v1–v5 keep {@code aliases} of {@code m.room.aliases}; v6 drops it. */
        boolean keepsAliases,
        /** v8+: {@code allow} of {@code m.room.join_rules}. */
        boolean keepsJoinRulesAllow,
        /** v9+: {@code join_authorised_via_users_server} of {@code m.room.member}. */
        boolean keepsJoinAuthorisedViaUsersServer,
        /** v11+: the v11 algorithm (whole create content, {@code invite} in power levels, {@code signed}
         * in member third-party invites, {@code redacts} in redaction content, fewer top-level keys). */
        boolean v11Rules) {

    public static RedactionRules forVersion(int version) {
        return new RedactionRules(version <= 5, version >= 8, version >= 9, version >= 11);
    }
}
