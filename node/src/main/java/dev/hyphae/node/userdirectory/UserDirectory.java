package dev.hyphae.node.userdirectory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.roomserver.RoomServerException;
import dev.hyphae.store.Account;
import dev.hyphae.store.Membership;
import dev.hyphae.store.Room;
import dev.hyphae.store.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a user may find in the directory, following the spec's privacy rules: the node's own
 * (active) users, users joined to a room the requester is joined to, and users joined to rooms
 * this node knows whose join rule is {@code public} or whose history is {@code world_readable}.
 * Nobody else is searched, in particular not users who only share a room the requester left or
 * was invited to.
 *
 * <p>A user matches when every word of the search term occurs, case-insensitively, in their user
 * ID or display name. Local users are shown with their global profile, others with their profile
 * in a room they are joined to.
 */
public final class UserDirectory {
    /** Results when the request sets no limit. */
    public static final int DEFAULT_LIMIT = 10;
    /** The most results one request returns. */
    public static final int MAX_LIMIT = 100;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WORDS = Pattern.compile("[\\s]+");

    private final Store store;
    private final RoomQueries queries;

    public UserDirectory(Store store, RoomQueries queries) {
        this.store = Objects.requireNonNull(store, "store");
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    /** A user found, with the profile the requester is shown. */
    public record Entry(String userId, Optional<String> displayName, Optional<String> avatarUrl) {
        public Entry {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(displayName, "displayName");
            Objects.requireNonNull(avatarUrl, "avatarUrl");
        }
    }

    /**
     * The results of a search.
     *
     * @param limited whether more users matched than the limit let through
     */
    public record Results(List<Entry> results, boolean limited) {
        public Results {
            results = List.copyOf(results);
        }
    }

    /**
     * The users visible to {@code requesterId} matching {@code searchTerm}, best match first.
     *
     * @throws IllegalArgumentException when the limit is negative
     */
    public Results search(String requesterId, String searchTerm, int limit) {
        Objects.requireNonNull(requesterId, "requesterId");
        Objects.requireNonNull(searchTerm, "searchTerm");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        List<String> words = new ArrayList<>();
        for (String word : WORDS.split(searchTerm.toLowerCase(Locale.ROOT).strip())) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        if (words.isEmpty()) {
            return new Results(List.of(), false);
        }
        List<Entry> matching = new ArrayList<>();
        for (Entry entry : visibleUsers(requesterId).values()) {
            String haystack = (entry.userId() + " " + entry.displayName().orElse("")).toLowerCase(Locale.ROOT);
            if (words.stream().allMatch(haystack::contains)) {
                matching.add(entry);
            }
        }
        matching.sort(Comparator.comparingInt((Entry entry) -> -rank(entry, words))
                .thenComparing(entry -> entry.displayName().isEmpty())
                .thenComparing(Entry::userId));
        boolean limited = matching.size() > Math.min(limit, MAX_LIMIT);
        return new Results(matching.subList(0, Math.min(matching.size(), Math.min(limit, MAX_LIMIT))), limited);
    }

    /** 2 when the display name or the localpart starts with the first word, 1 when any word starts with it. */
    static int rank(Entry entry, List<String> words) {
        String first = words.get(0);
        String localpart = entry.userId().substring(1).toLowerCase(Locale.ROOT);
        String name = entry.displayName().orElse("").toLowerCase(Locale.ROOT);
        if (localpart.startsWith(first) || name.startsWith(first)) {
            return 2;
        }
        for (String word : WORDS.split(name)) {
            if (word.startsWith(first)) {
                return 1;
            }
        }
        return 0;
    }

    /** Every user the requester may find, by user ID. */
    private Map<String, Entry> visibleUsers(String requesterId) {
        Map<String, Entry> users = new HashMap<>();
        for (Room room : store.read(tx -> tx.rooms().all())) {
            String roomId = room.roomId();
            boolean shared = queries.membership(roomId, requesterId).filter("join"::equals).isPresent();
            if (!shared && !publicOrWorldReadable(roomId)) {
                continue;
            }
            for (Membership member : queries.members(roomId)) {
                if (member.membership().equals("join") && !users.containsKey(member.userId())) {
                    users.put(member.userId(), roomProfile(member));
                }
            }
        }
        // Local users last, so that their own global profile replaces what a room showed.
        for (Account account : store.read(tx -> tx.accounts().all())) {
            if (!account.deactivated()) {
                users.put(account.userId(), globalProfile(account.userId()));
            }
        }
        return users;
    }

    private boolean publicOrWorldReadable(String roomId) {
        try {
            return publicOrWorldReadableState(roomId);
        } catch (RoomServerException | IllegalStateException e) {
            // A room without state here (only an invite, say) shows nobody.
            return false;
        }
    }

    private boolean publicOrWorldReadableState(String roomId) {
        Optional<String> joinRule = stateString(roomId, "m.room.join_rules", "join_rule");
        Optional<String> history = stateString(roomId, "m.room.history_visibility", "history_visibility");
        return joinRule.filter("public"::equals).isPresent() || history.filter("world_readable"::equals).isPresent();
    }

    private Optional<String> stateString(String roomId, String type, String field) {
        return queries.stateEvent(roomId, type, "").map(event -> event.pdu().contentField(field))
                .filter(JsonNode::isTextual).map(JsonNode::textValue);
    }

    private Entry roomProfile(Membership member) {
        Optional<JsonNode> content = queries.event(member.eventId()).map(RoomEvent::pdu)
                .filter(pdu -> pdu.stateTuple().equals(Optional.of(StateKey.of("m.room.member", member.userId()))))
                .map(pdu -> pdu.content());
        return new Entry(member.userId(), content.flatMap(c -> text(c.get("displayname"))),
                content.flatMap(c -> text(c.get("avatar_url"))));
    }

    private Entry globalProfile(String userId) {
        Map<String, String> fields = store.read(tx -> tx.profileFields().forUser(userId));
        return new Entry(userId, parsed(fields.get("displayname")), parsed(fields.get("avatar_url")));
    }

    private static Optional<String> parsed(String valueJson) {
        if (valueJson == null) {
            return Optional.empty();
        }
        try {
            return text(JSON.readTree(valueJson));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonNode value) {
        return value != null && value.isTextual() && !value.textValue().isEmpty()
                ? Optional.of(value.textValue()) : Optional.empty();
    }
}
