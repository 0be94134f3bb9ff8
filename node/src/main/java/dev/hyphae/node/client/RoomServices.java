package dev.hyphae.node.client;

import dev.hyphae.node.accountdata.AccountDataService;
import dev.hyphae.node.filter.FilterService;
import dev.hyphae.node.profile.ProfileService;
import dev.hyphae.node.push.PushRulesService;
import dev.hyphae.node.roomserver.RoomCreator;
import dev.hyphae.node.roomserver.RoomEventSender;
import dev.hyphae.node.roomserver.RoomMemberships;
import dev.hyphae.node.roomserver.RoomQueries;
import java.util.Objects;

/** The room server and user data services that the room and user data endpoint groups call. */
public record RoomServices(RoomCreator creator, RoomEventSender sender, RoomMemberships memberships,
        RoomQueries queries, AccountDataService accountData, PushRulesService pushRules, FilterService filters,
        ProfileService profiles) {
    public RoomServices {
        Objects.requireNonNull(creator, "creator");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(memberships, "memberships");
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(accountData, "accountData");
        Objects.requireNonNull(pushRules, "pushRules");
        Objects.requireNonNull(filters, "filters");
        Objects.requireNonNull(profiles, "profiles");
    }
}
