package dev.hyphae.node.roomserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.Store;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The membership operations of the client-server API on rooms this node holds: join, invite,
 * leave, kick, ban, unban and knock. Each sends one {@code m.room.member} event; the authorization
 * rules decide, and a refusal carries their reason. Joining or leaving a room this node does not
 * take part in, and inviting users of other servers, go through {@link FederatedMembership}
 * (which, without federation, refuses them).
 */
public final class RoomMemberships {
    private final RoomEventSender sender;
    private final Store store;
    private final FederatedMembership federation;
    private final MemberProfiles profiles;

    /** Memberships of a node that does not federate. */
    public RoomMemberships(RoomEventSender sender, Store store) {
        this(sender, store, FederatedMembership.NONE);
    }

    public RoomMemberships(RoomEventSender sender, Store store, FederatedMembership federation) {
        this(sender, store, federation, MemberProfiles.NONE);
    }

    /** Memberships whose join events carry the joining user's display name and avatar from {@code profiles}. */
    public RoomMemberships(RoomEventSender sender, Store store, FederatedMembership federation,
            MemberProfiles profiles) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.store = Objects.requireNonNull(store, "store");
        this.federation = Objects.requireNonNull(federation, "federation");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
    }

    /**
     * Whether this node takes part in the room: it holds the room's events and forward extremities
     * (not only an invite or outliers).
     */
    public boolean participates(String roomId) {
        return !store.read(tx -> tx.forwardExtremities().get(roomId)).isEmpty();
    }

    /**
     * {@code POST /rooms/{roomId}/join}: joins {@code userId} to a local room, allowed by the rules
     * when invited, when the room is public, or (restricted rooms) when the user is joined to a
     * room of the allow list and a local member with the invite level can authorise the join.
     */
    public SentEvent join(String roomId, String userId, String reason) {
        return join(roomId, userId, reason, List.of());
    }

    /**
     * Joins as {@link #join(String, String, String)} does; a room this node does not take part in
     * is joined through {@code servers} ({@code server_name} / {@code via} of the request) and the
     * server of the invite, if any.
     */
    public SentEvent join(String roomId, String userId, String reason, List<String> servers) {
        requireUserId(userId);
        Objects.requireNonNull(servers, "servers");
        if (!participates(roomId)) {
            return federation.join(roomId, userId, servers, reason);
        }
        ObjectNode profile = JsonNodeFactory.instance.objectNode();
        profiles.addTo(userId, profile);
        return sender.send(roomId, head -> {
            ObjectNode content = content("join", reason);
            content.setAll(profile);
            String current = membershipOf(head, userId);
            String joinRule = head.stateEvent("m.room.join_rules", "")
                    .map(e -> e.contentField("join_rule").asText("invite")).orElse("invite");
            boolean restricted = joinRule.equals("restricted") || joinRule.equals("knock_restricted");
            if (restricted && !current.equals("join") && !current.equals("invite")) {
                RestrictedJoin.authorisingUser(head, userId, store, sender.builder().serverName())
                        .ifPresent(via -> content.put("join_authorised_via_users_server", via));
            }
            return EventDraft.state(roomId, userId, "m.room.member", userId, content);
        }, Optional.empty());
    }

    /** {@code POST /rooms/{roomId}/invite}: {@code sender} invites {@code target}. */
    public SentEvent invite(String roomId, String sender, String target, String reason, boolean isDirect) {
        requireUserId(sender);
        requireUserId(target);
        ObjectNode content = content("invite", reason);
        if (isDirect) {
            content.put("is_direct", true);
        }
        EventDraft draft = EventDraft.state(roomId, sender, "m.room.member", target, content);
        return sendInvite(this.sender, federation, draft);
    }

    /**
     * Sends an invite: an invitee of another server has its server sign the invite before it is
     * stored ("Inviting to a room"); without federation it is stored as it is.
     */
    static SentEvent sendInvite(RoomEventSender sender, FederatedMembership federation, EventDraft draft) {
        String targetServer = UserId.parse(draft.stateKey()).serverName().toString();
        if (federation == FederatedMembership.NONE || targetServer.equals(sender.builder().serverName())) {
            return sender.send(draft);
        }
        return sender.send(draft.roomId(), head -> draft, Optional.empty(),
                (head, invite) -> federation.invite(invite, List.copyOf(head.stateEvents(head.state().keySet()).values())));
    }

    /** {@code POST /rooms/{roomId}/leave}: the user leaves (or rejects an invite, or withdraws a knock). */
    public SentEvent leave(String roomId, String userId, String reason) {
        requireUserId(userId);
        if (!participates(roomId)) {
            return federation.leave(roomId, userId, reason);
        }
        return sender.send(EventDraft.state(roomId, userId, "m.room.member", userId, content("leave", reason)));
    }

    /** {@code POST /rooms/{roomId}/kick}: {@code sender} removes {@code target}, who must be in the room. */
    public SentEvent kick(String roomId, String sender, String target, String reason) {
        requireUserId(sender);
        requireUserId(target);
        return this.sender.send(roomId, head -> {
            String current = membershipOf(head, target);
            if (!current.equals("join") && !current.equals("invite") && !current.equals("knock")) {
                throw RoomServerException.forbidden(target + " is not in the room (membership " + current + ")");
            }
            return EventDraft.state(roomId, sender, "m.room.member", target, content("leave", reason));
        }, Optional.empty());
    }

    /** {@code POST /rooms/{roomId}/ban}: {@code sender} bans {@code target}. */
    public SentEvent ban(String roomId, String sender, String target, String reason) {
        requireUserId(sender);
        requireUserId(target);
        return this.sender.send(EventDraft.state(roomId, sender, "m.room.member", target, content("ban", reason)));
    }

    /** {@code POST /rooms/{roomId}/unban}: {@code sender} lifts the ban on {@code target}, who must be banned. */
    public SentEvent unban(String roomId, String sender, String target, String reason) {
        requireUserId(sender);
        requireUserId(target);
        return this.sender.send(roomId, head -> {
            if (!membershipOf(head, target).equals("ban")) {
                throw RoomServerException.forbidden(target + " is not banned");
            }
            return EventDraft.state(roomId, sender, "m.room.member", target, content("leave", reason));
        }, Optional.empty());
    }

    /** {@code POST /knock/{roomIdOrAlias}} for a local room: asks to be let in. */
    public SentEvent knock(String roomId, String userId, String reason) {
        return knock(roomId, userId, reason, List.of());
    }

    /**
     * Knocks as {@link #knock(String, String, String)} does; a room this node does not take part in
     * is knocked on through {@code servers} ({@code server_name} / {@code via} of the request).
     */
    public SentEvent knock(String roomId, String userId, String reason, List<String> servers) {
        requireUserId(userId);
        Objects.requireNonNull(servers, "servers");
        if (!participates(roomId)) {
            return federation.knock(roomId, userId, servers, reason);
        }
        return sender.send(EventDraft.state(roomId, userId, "m.room.member", userId, content("knock", reason)));
    }

    /** The user's current membership in the head's state ("leave" when they have none). */
    static String membershipOf(RoomHead head, String userId) {
        JsonNode membership = head.stateEvent("m.room.member", userId)
                .map(event -> event.contentField("membership")).orElse(null);
        return membership != null && membership.isTextual() ? membership.textValue() : "leave";
    }

    private static ObjectNode content(String membership, String reason) {
        ObjectNode content = RoomCreator.member(membership);
        if (reason != null && !reason.isEmpty()) {
            content.put("reason", reason);
        }
        return content;
    }

    private static void requireUserId(String userId) {
        try {
            UserId.parse(Objects.requireNonNull(userId, "userId"));
        } catch (InvalidIdentifierException e) {
            throw RoomServerException.badRequest("not a user ID: " + userId);
        }
    }
}
