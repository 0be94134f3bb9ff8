package dev.hyphae.node.roomserver;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Adds a local user's display name and avatar URL to the content of their join event, as the
 * spec's "Events on Change of Profile Information" expects member events to carry them.
 */
@FunctionalInterface
public interface MemberProfiles {
    /** For nodes and tests that keep profiles out of member events. */
    MemberProfiles NONE = (userId, content) -> { };

    void addTo(String userId, ObjectNode content);
}
