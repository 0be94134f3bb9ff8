package dev.hyphae.node.search;

import dev.hyphae.store.EventSearch;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code next_batch} token: where the previous page stopped in the index (an offset for
 * {@code rank}, the last stream ordering looked at for {@code recent}) and, for a token handed
 * out inside a group, the group it continues ({@code room_id} or {@code sender} and its value).
 */
public record SearchBatchToken(EventSearch.Order order, long position, Optional<String> groupKey,
        Optional<String> groupValue) {
    private static final String VERSION = "s1";

    public SearchBatchToken {
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(groupKey, "groupKey");
        Objects.requireNonNull(groupValue, "groupValue");
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative");
        }
        if (groupKey.isPresent() != groupValue.isPresent()) {
            throw new IllegalArgumentException("a group needs both its key and its value");
        }
    }

    public static SearchBatchToken of(EventSearch.Order order, long position) {
        return new SearchBatchToken(order, position, Optional.empty(), Optional.empty());
    }

    /** The same position, continuing only the given group. */
    public SearchBatchToken inGroup(String key, String value) {
        return new SearchBatchToken(order, position, Optional.of(key), Optional.of(value));
    }

    /**
     * Reads a token this server handed out.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static SearchBatchToken parse(String token) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a search batch token");
        }
        String[] parts = text.split("\n", -1);
        if ((parts.length != 3 && parts.length != 5) || !parts[0].equals(VERSION)) {
            throw new IllegalArgumentException("not a search batch token");
        }
        EventSearch.Order order = switch (parts[1]) {
            case "rank" -> EventSearch.Order.RANK;
            case "recent" -> EventSearch.Order.RECENT;
            default -> throw new IllegalArgumentException("not a search batch token");
        };
        long position;
        try {
            position = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a search batch token");
        }
        if (position < 0) {
            throw new IllegalArgumentException("not a search batch token");
        }
        if (parts.length == 3) {
            return of(order, position);
        }
        if (!parts[3].equals("room_id") && !parts[3].equals("sender")) {
            throw new IllegalArgumentException("not a search batch token");
        }
        return new SearchBatchToken(order, position, Optional.of(parts[3]), Optional.of(parts[4]));
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(VERSION).append('\n')
                .append(order == EventSearch.Order.RANK ? "rank" : "recent").append('\n').append(position);
        groupKey.ifPresent(key -> text.append('\n').append(key).append('\n').append(groupValue.orElseThrow()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
