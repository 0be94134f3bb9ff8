package dev.hyphae.node.auth;

import static dev.hyphae.node.auth.RoomAuthState.BAN;
import static dev.hyphae.node.auth.RoomAuthState.INVITE;
import static dev.hyphae.node.auth.RoomAuthState.JOIN;
import static dev.hyphae.node.auth.RoomAuthState.KNOCK;
import static dev.hyphae.node.auth.RoomAuthState.LEAVE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.AuthRules;
import java.util.List;

/**
 * The rule "If type is m.room.member" with every membership (rooms v1–v12). Quoted texts are from
 * the v10–v12 rules; the differences of older versions are noted where they apply.
 */
final class MembershipRules {
    private static final String RESTRICTED = "restricted";
    private static final String KNOCK_RESTRICTED = "knock_restricted";
    private static final String PUBLIC = "public";

    private final HomeserverSignatures signatures;

    MembershipRules(HomeserverSignatures signatures) {
        this.signatures = signatures;
    }

    AuthDecision check(Pdu event, ObjectNode content, RoomAuthState room) {
        AuthRules rules = room.rules();
        // "If there is no state_key property, or no membership property in content, reject."
        JsonNode membershipNode = content.get("membership");
        if (event.stateKey().isEmpty() || membershipNode == null) {
            return AuthDecision.reject("member event without state_key or membership");
        }
        // A membership that is not a string is no known membership: it falls to the last rule.
        String membership = membershipNode.isTextual() ? membershipNode.textValue() : "";
        String target = event.stateKey().get();
        String sender = event.sender();

        // v8+: "If content has a join_authorised_via_users_server key: If the event is not validly
        // signed by the homeserver of the user ID denoted by the key, reject."
        JsonNode authorisedVia = rules.restrictedJoinRule() ? content.get("join_authorised_via_users_server") : null;
        if (authorisedVia != null) {
            // A value that is no user ID (null included) denotes no homeserver that could have signed.
            if (!authorisedVia.isTextual() || !MatrixIds.isUserId(authorisedVia.textValue())) {
                return AuthDecision.reject("join_authorised_via_users_server is not a user ID");
            }
            String server = MatrixIds.domain(authorisedVia.textValue());
            if (!signatures.isValidlySignedBy(event, server)) {
                return AuthDecision.reject("event is not signed by " + server + " of join_authorised_via_users_server");
            }
        }

        return switch (membership) {
            case JOIN -> join(event, target, sender, authorisedVia, room);
            case INVITE -> invite(content, target, sender, room);
            case LEAVE -> leave(target, sender, room);
            case BAN -> ban(target, sender, room);
            case KNOCK -> rules.knocking()
                    ? knock(target, sender, room)
                    : AuthDecision.reject("unknown membership 'knock' before room version 7");
            // "Otherwise, the membership is unknown. Reject."
            default -> AuthDecision.reject("unknown membership '" + membership + "'");
        };
    }

    private AuthDecision join(Pdu event, String target, String sender, JsonNode authorisedVia, RoomAuthState room) {
        AuthRules rules = room.rules();
        // "If the only previous event is an m.room.create and the state_key is the creator, allow."
        // (v11+: "the state_key is the sender of the m.room.create"; v12 keeps that wording, so
        // additional creators join like anyone else.)
        Pdu create = room.create().orElse(null);
        if (create != null) {
            List<String> prev = event.prevEventIds();
            String creator = rules.creatorIsSender() ? create.sender() : room.creator();
            if (prev.size() == 1 && prev.get(0).equals(create.eventId()) && target.equals(creator)) {
                return AuthDecision.allow();
            }
        }
        // "If the sender does not match state_key, reject."
        if (!sender.equals(target)) {
            return AuthDecision.reject("join sender does not match state_key");
        }
        String current = room.membership(sender);
        // "If the sender is banned, reject."
        if (BAN.equals(current)) {
            return AuthDecision.reject("sender is banned");
        }
        String joinRule = room.joinRule();
        // "If the join_rule is invite or knock then allow if membership state is invite or join."
        // (v1–v6: invite only; knock is a join rule from v7.)
        if (INVITE.equals(joinRule) || (rules.knocking() && KNOCK.equals(joinRule))) {
            return INVITE.equals(current) || JOIN.equals(current)
                    ? AuthDecision.allow()
                    : AuthDecision.reject("join rule " + joinRule + " requires an invite");
        }
        // v8+: "If the join_rule is restricted or knock_restricted" (knock_restricted from v10):
        if ((rules.restrictedJoinRule() && RESTRICTED.equals(joinRule))
                || (rules.knockRestrictedJoinRule() && KNOCK_RESTRICTED.equals(joinRule))) {
            // "If membership state is join or invite, allow."
            if (JOIN.equals(current) || INVITE.equals(current)) {
                return AuthDecision.allow();
            }
            // "If the join_authorised_via_users_server key in content is not a user with sufficient
            // permission to invite other users or is not a joined member of the room, reject."
            if (authorisedVia == null) {
                return AuthDecision.reject("restricted join without join_authorised_via_users_server");
            }
            String authoriser = authorisedVia.textValue();
            if (!JOIN.equals(room.membership(authoriser))) {
                return AuthDecision.reject("join_authorised_via_users_server user is not joined");
            }
            if (room.userLevel(authoriser) < room.powerLevels().invite()) {
                return AuthDecision.reject("join_authorised_via_users_server user may not invite");
            }
            // "Otherwise, allow."
            return AuthDecision.allow();
        }
        // "If the join_rule is public, allow."
        if (PUBLIC.equals(joinRule)) {
            return AuthDecision.allow();
        }
        // "Otherwise, reject."
        return AuthDecision.reject("join rule '" + joinRule + "' does not allow joining");
    }

    private AuthDecision invite(ObjectNode content, String target, String sender, RoomAuthState room) {
        // "If content has a third_party_invite property:"
        JsonNode thirdPartyInvite = content.get("third_party_invite");
        if (thirdPartyInvite != null) {
            return thirdPartyInvite(thirdPartyInvite, target, sender, room);
        }
        // "If the sender's current membership state is not join, reject."
        if (!JOIN.equals(room.membership(sender))) {
            return AuthDecision.reject("inviter is not joined");
        }
        // "If target user's current membership state is join or ban, reject."
        String targetMembership = room.membership(target);
        if (JOIN.equals(targetMembership) || BAN.equals(targetMembership)) {
            return AuthDecision.reject("invite target is " + targetMembership);
        }
        // "If the sender's power level is greater than or equal to the invite level, allow."
        if (room.userLevel(sender) >= room.powerLevels().invite()) {
            return AuthDecision.allow();
        }
        // "Otherwise, reject."
        return AuthDecision.reject("sender's power level is below the invite level");
    }

    private AuthDecision thirdPartyInvite(JsonNode thirdPartyInvite, String target, String sender,
            RoomAuthState room) {
        // "If target user is banned, reject."
        if (BAN.equals(room.membership(target))) {
            return AuthDecision.reject("third-party invite target is banned");
        }
        // "If content.third_party_invite does not have a signed property, reject."
        JsonNode signed = thirdPartyInvite.get("signed");
        if (!(signed instanceof ObjectNode signedObject)) {
            return AuthDecision.reject("third_party_invite has no signed object");
        }
        // "If signed does not have mxid and token properties, reject."
        JsonNode mxid = signed.get("mxid");
        JsonNode token = signed.get("token");
        if (mxid == null || token == null || !mxid.isTextual() || !token.isTextual()) {
            return AuthDecision.reject("third_party_invite.signed lacks mxid or token");
        }
        // "If mxid does not match state_key, reject."
        if (!mxid.textValue().equals(target)) {
            return AuthDecision.reject("third_party_invite mxid does not match state_key");
        }
        // "If there is no m.room.third_party_invite event in the current room state with state_key
        // matching token, reject."
        Pdu invite = room.event("m.room.third_party_invite", token.textValue()).orElse(null);
        if (invite == null) {
            return AuthDecision.reject("no m.room.third_party_invite for the token");
        }
        // "If sender does not match sender of the m.room.third_party_invite, reject."
        if (!sender.equals(invite.sender())) {
            return AuthDecision.reject("sender does not match the third-party invite's sender");
        }
        // "If any signature in signed matches any public key in the m.room.third_party_invite event,
        // allow." Otherwise, reject.
        return ThirdPartyInviteSignatures.anySignatureMatches(signedObject, room.parsed().content(invite))
                ? AuthDecision.allow()
                : AuthDecision.reject("no signature in third_party_invite.signed matches the invite's public keys");
    }

    private AuthDecision leave(String target, String sender, RoomAuthState room) {
        // "If the sender matches state_key, allow if and only if that user's current membership state
        // is invite, join, or knock." (v1–v6: invite or join.)
        if (sender.equals(target)) {
            String current = room.membership(sender);
            boolean allowed = INVITE.equals(current) || JOIN.equals(current)
                    || (room.rules().knocking() && KNOCK.equals(current));
            return allowed ? AuthDecision.allow() : AuthDecision.reject("cannot leave from membership " + current);
        }
        // "If the sender's current membership state is not join, reject."
        if (!JOIN.equals(room.membership(sender))) {
            return AuthDecision.reject("sender is not joined");
        }
        PowerLevels levels = room.powerLevels();
        long senderLevel = room.userLevel(sender);
        // "If the target user's current membership state is ban, and the sender's power level is less
        // than the ban level, reject."
        if (BAN.equals(room.membership(target)) && senderLevel < levels.ban()) {
            return AuthDecision.reject("sender's power level is below the ban level needed to unban");
        }
        // "If the sender's power level is greater than or equal to the kick level, and the target
        // user's power level is less than the sender's power level, allow."
        if (senderLevel >= levels.kick() && room.userLevel(target) < senderLevel) {
            return AuthDecision.allow();
        }
        // "Otherwise, reject."
        return AuthDecision.reject("sender may not kick the target");
    }

    private AuthDecision ban(String target, String sender, RoomAuthState room) {
        // "If the sender's current membership state is not join, reject."
        if (!JOIN.equals(room.membership(sender))) {
            return AuthDecision.reject("sender is not joined");
        }
        // "If the sender's power level is greater than or equal to the ban level, and the target
        // user's power level is less than the sender's power level, allow."
        long senderLevel = room.userLevel(sender);
        if (senderLevel >= room.powerLevels().ban() && room.userLevel(target) < senderLevel) {
            return AuthDecision.allow();
        }
        // "Otherwise, reject."
        return AuthDecision.reject("sender may not ban the target");
    }

    private AuthDecision knock(String target, String sender, RoomAuthState room) {
        // "If the join_rule is anything other than knock or knock_restricted, reject."
        // (v7–v9: anything other than knock.)
        String joinRule = room.joinRule();
        boolean knockable = KNOCK.equals(joinRule)
                || (room.rules().knockRestrictedJoinRule() && KNOCK_RESTRICTED.equals(joinRule));
        if (!knockable) {
            return AuthDecision.reject("join rule '" + joinRule + "' does not allow knocking");
        }
        // "If sender does not match state_key, reject."
        if (!sender.equals(target)) {
            return AuthDecision.reject("knock sender does not match state_key");
        }
        // "If the sender's current membership is not ban, invite, or join, allow."
        String current = room.membership(sender);
        if (!BAN.equals(current) && !INVITE.equals(current) && !JOIN.equals(current)) {
            return AuthDecision.allow();
        }
        // "Otherwise, reject."
        return AuthDecision.reject("cannot knock from membership " + current);
    }
}
