package dev.hyphae.store;

/**
 * A stored state snapshot. A group either holds the whole state ({@code parentGroupId == null}) or
 * the delta against its parent group.
 *
 * @param parentGroupId the group this one is a delta against, or {@code null} for a full snapshot
 * @param chainLength   how many deltas lie between this group and its full snapshot (0 for a full one)
 */
public record StateGroup(long groupId, String roomId, Long parentGroupId, int chainLength) {
}
