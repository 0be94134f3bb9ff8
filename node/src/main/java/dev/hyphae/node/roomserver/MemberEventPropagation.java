package dev.hyphae.node.roomserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.profile.MemberProfile;
import dev.hyphae.node.profile.ProfilePropagation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A changed display name or avatar goes into a new {@code m.room.member} join event in every room
 * the user is joined to ("Events on Change of Profile Information"), keeping the rest of their
 * current member content. The sends run on {@code executor}: the change is reported on the
 * store's notification thread, which must not wait for writes.
 */
public final class MemberEventPropagation implements ProfilePropagation {
    private static final Logger LOG = LoggerFactory.getLogger(MemberEventPropagation.class);

    private final RoomEventSender sender;
    private final RoomQueries queries;
    private final Executor executor;

    public MemberEventPropagation(RoomEventSender sender, RoomQueries queries, Executor executor) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public void memberProfileChanged(UserId user, MemberProfile profile) {
        executor.execute(() -> {
            String userId = user.toString();
            for (String roomId : queries.joinedRooms(userId)) {
                try {
                    update(roomId, userId, profile);
                } catch (RuntimeException e) {
                    // One room refusing (a power level, a room left meanwhile) must not stop the others.
                    LOG.info("cannot update the member event of {} in {}: {}", userId, roomId, e.getMessage());
                }
            }
        });
    }

    private void update(String roomId, String userId, MemberProfile profile) {
        sender.send(roomId, head -> {
            ObjectNode content = head.stateEvent("m.room.member", userId)
                    .map(event -> event.contentView().deepCopy())
                    .orElseThrow(() -> RoomServerException.notFound(userId + " is not a member of " + roomId));
            if (!"join".equals(content.path("membership").asText())) {
                throw RoomServerException.forbidden(userId + " is no longer joined to " + roomId);
            }
            content.remove("join_authorised_via_users_server");
            content.remove("reason");
            content.remove(List.of("displayname", "avatar_url"));
            profile.displayName().ifPresent(name -> content.put("displayname", name));
            profile.avatarUrl().ifPresent(url -> content.put("avatar_url", url));
            return EventDraft.state(roomId, userId, "m.room.member", userId, content);
        }, Optional.empty());
    }
}
