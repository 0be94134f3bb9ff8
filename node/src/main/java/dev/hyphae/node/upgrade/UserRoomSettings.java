package dev.hyphae.node.upgrade;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.accountdata.AccountDataException;
import dev.hyphae.node.accountdata.AccountDataService;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.push.PushRulesService;
import java.util.Objects;

/**
 * What a local user set up for a room that they expect to find on its replacement after an
 * upgrade: their tags on it ({@code m.tag} room account data, "Room Tagging") and their push
 * rules about it ("Push Rules": the room's {@code room} rule and the {@code override} and
 * {@code underride} rules whose conditions name it).
 */
public interface UserRoomSettings {
    /** The tag account data type. */
    String TAG_TYPE = "m.tag";

    /**
     * Copies {@code userId}'s settings for {@code oldRoomId} to {@code newRoomId}; tags the user
     * already set on the new room are kept.
     */
    void copy(String userId, String oldRoomId, String newRoomId);

    /** The node's account data (tags) and push rules. */
    static UserRoomSettings of(AccountDataService accountData, PushRulesService pushRules) {
        Objects.requireNonNull(accountData, "accountData");
        Objects.requireNonNull(pushRules, "pushRules");
        return (userId, oldRoomId, newRoomId) -> {
            UserId user = UserId.parse(userId);
            ObjectNode tags;
            try {
                tags = accountData.getForRoom(user, oldRoomId, TAG_TYPE);
            } catch (AccountDataException none) {
                tags = null;
            }
            if (tags != null && tags.path("tags").isObject() && !tags.path("tags").isEmpty()) {
                ObjectNode merged = tags.deepCopy();
                try {
                    ObjectNode existing = accountData.getForRoom(user, newRoomId, TAG_TYPE);
                    if (existing.path("tags").isObject()) {
                        merged.with("tags").setAll((ObjectNode) existing.get("tags"));
                    }
                } catch (AccountDataException none) {
                    // The new room has no tags yet.
                }
                accountData.setForRoom(user, newRoomId, TAG_TYPE, merged).join();
            }
            pushRules.copyRoomRules(user, oldRoomId, newRoomId).join();
        };
    }
}
