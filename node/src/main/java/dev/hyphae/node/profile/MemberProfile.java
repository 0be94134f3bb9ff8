package dev.hyphae.node.profile;

import java.util.Objects;
import java.util.Optional;

/**
 * The profile fields that go into a user's {@code m.room.member} events: {@code displayname} and
 * {@code avatar_url}.
 */
public record MemberProfile(Optional<String> displayName, Optional<String> avatarUrl) {
    public static final MemberProfile EMPTY = new MemberProfile(Optional.empty(), Optional.empty());

    public MemberProfile {
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(avatarUrl, "avatarUrl");
    }
}
