package dev.hyphae.node.profile;

import dev.hyphae.node.identifier.UserId;

/**
 * Where a change of a local user's display name or avatar URL goes ("Events on Change of Profile
 * Information"): the room pipeline sends a new {@code m.room.member} join event with the new
 * values to every room the user is joined to, and presence sends an {@code m.presence} update.
 *
 * <p>Called once per committed change that altered {@code displayname} or {@code avatar_url},
 * after the commit, on the store's notification thread: implementations must hand the work off
 * (for example to an executor) instead of writing to the store and waiting from inside the call.
 */
@FunctionalInterface
public interface ProfilePropagation {
    /** For nodes or tests that propagate nothing. */
    ProfilePropagation NONE = (user, profile) -> { };

    /** @param profile the user's member profile after the change */
    void memberProfileChanged(UserId user, MemberProfile profile);
}
