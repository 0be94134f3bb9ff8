/**
 * Profiles of local users: {@code displayname}, {@code avatar_url}, {@code m.tz} and custom
 * namespaced fields, with the spec's key grammar and size limits. A change of the display name or
 * avatar goes after commit to a {@link dev.hyphae.node.profile.ProfilePropagation}, which the room
 * pipeline implements by sending new membership events to the user's joined rooms.
 */
package dev.hyphae.node.profile;
