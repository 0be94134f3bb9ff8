/**
 * Event authorization: the "Authorisation rules" of room versions 1 to 12 and the "Auth events
 * selection" of the server-server API.
 *
 * <p>{@link dev.hyphae.node.auth.AuthorizationRules} implements {@link dev.hyphae.node.auth.EventAuthorizer};
 * build one per node with a {@link dev.hyphae.node.auth.HomeserverSignatures} (used only for
 * {@code join_authorised_via_users_server}) and share it: it is pure and thread-safe. The rules
 * are split by concept: {@code CreateRules}, {@code MembershipRules}, {@code PowerLevelsRules}, with
 * {@code RoomAuthState} reading the state the rules speak of, {@code PowerLevels} parsing levels by
 * the room version's value formats, and {@code ThirdPartyInviteSignatures} checking the Ed25519
 * signatures of third-party invites.
 */
package dev.hyphae.node.auth;
