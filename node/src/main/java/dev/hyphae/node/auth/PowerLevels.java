package dev.hyphae.node.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.room.AuthRules;
import java.math.BigInteger;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The levels of one {@code m.room.power_levels} content, parsed once by the room version's rules
 * ("stringy" values before v10, "floaty" values before v6), with the defaults of the
 * server-server API's definitions. Immutable.
 *
 * <p>Values that do not parse are left out and the first such problem is kept in {@link #problem()}:
 * the power levels rule rejects a new event with a problem; a power levels event already in the
 * room state is read with its bad values left out.
 */
final class PowerLevels {
    /** The power level of room creators in v12: higher than any integer a power levels event can hold. */
    static final long INFINITE = Long.MAX_VALUE;

    /** The properties of power levels rule 9.3 (v10+: 9.5) that are compared one by one. */
    static final List<String> LEVEL_KEYS =
            List.of("users_default", "events_default", "state_default", "ban", "redact", "kick", "invite");

    /** Power levels of a room with no {@code m.room.power_levels} event: every default applies. */
    static final PowerLevels NONE = new PowerLevels(Map.of(), Map.of(), Map.of(), Map.of(), null);

    // Stringy power levels: base 10 digits, optional single sign, optional surrounding whitespace
    // (read as ASCII whitespace: the spec does not list the characters).
    private static final Pattern STRINGY = Pattern.compile("\\s*[+-]?[0-9]+\\s*");
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE - 1);

    private final Map<String, Long> levels;
    private final Map<String, Long> events;
    private final Map<String, Long> notifications;
    private final Map<String, Long> users;
    private final String problem;

    private PowerLevels(Map<String, Long> levels, Map<String, Long> events, Map<String, Long> notifications,
            Map<String, Long> users, String problem) {
        this.levels = levels;
        this.events = events;
        this.notifications = notifications;
        this.users = users;
        this.problem = problem;
    }

    /** Parses a power levels content by the room version's rules; never throws for bad content. */
    static PowerLevels parse(ObjectNode content, AuthRules rules) {
        Problems problems = new Problems();
        Map<String, Long> levels = new HashMap<>();
        for (String key : LEVEL_KEYS) {
            JsonNode value = content.get(key);
            if (value == null) {
                continue;
            }
            Long level = level(value, rules);
            if (level != null) {
                levels.put(key, level);
            } else if (rules.integerPowerLevels()) {
                // v10 rule 9.1: "If any of the properties ... are present and not an integer, reject."
                problems.add("power level '" + key + "' is not an integer");
            }
            // Before v10 no rule constrains these values: one that does not parse is left out and
            // its default applies (a choice; the spec does not say how to read such a value).
        }
        Map<String, Long> events = levelMap(content, "events", rules, false, problems);
        Map<String, Long> notifications = levelMap(content, "notifications", rules, false, problems);
        Map<String, Long> users = levelMap(content, "users", rules, true, problems);
        return new PowerLevels(Collections.unmodifiableMap(levels), events, notifications, users, problems.first);
    }

    private static Map<String, Long> levelMap(ObjectNode content, String key, AuthRules rules, boolean userKeys,
            Problems problems) {
        JsonNode node = content.get(key);
        // An absent property is taken as empty: the rules constrain the shape of a present property
        // (v10 wording: "present and not an object"), so the same reading is used for `users`.
        if (node == null) {
            return Map.of();
        }
        // v10 rule 9.2 (events, notifications) and rule 9.3 / v1 rule 10.1 (users) only reject
        // bad shapes in the versions that have them; users is checked in every version.
        boolean strict = userKeys || rules.integerPowerLevels();
        if (!node.isObject()) {
            if (strict) {
                problems.add("'" + key + "' is not an object");
            }
            return Map.of();
        }
        Map<String, Long> result = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Long level = level(entry.getValue(), rules);
            boolean validKey = !userKeys || MatrixIds.isUserId(entry.getKey());
            if (level != null && validKey) {
                result.put(entry.getKey(), level);
            } else if (strict) {
                problems.add(validKey
                        ? "'" + key + "' value for '" + entry.getKey() + "' is not an integer"
                        : "'" + key + "' key '" + entry.getKey() + "' is not a valid user ID");
            }
        }
        return Collections.unmodifiableMap(result);
    }

    /** One power level value by the version's rules, or null when it is not one. */
    private static Long level(JsonNode value, AuthRules rules) {
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() && value.longValue() != INFINITE ? value.longValue() : null;
        }
        if (value.isFloatingPointNumber()) {
            if (!rules.floatPowerLevels()) {
                return null;
            }
            // Floaty power levels (v1-v5): truncate at the decimal point; values outside a double's
            // range (or not finite) reject. Values beyond a long's range are taken as invalid too
            // (a choice: the spec names no range, and such levels cannot be compared exactly).
            double d = value.doubleValue();
            if (!Double.isFinite(d) || Math.abs(d) >= 0x1p62) {
                return null;
            }
            return (long) d;
        }
        if (value.isTextual() && !rules.integerPowerLevels()) {
            String text = value.textValue();
            if (!STRINGY.matcher(text).matches()) {
                return null;
            }
            String digits = text.strip();
            BigInteger parsed = new BigInteger(digits.startsWith("+") ? digits.substring(1) : digits);
            return parsed.compareTo(LONG_MIN) >= 0 && parsed.compareTo(LONG_MAX) <= 0 ? parsed.longValue() : null;
        }
        return null;
    }

    /** The first reason this content breaks the version's power levels shape rules, if any. */
    Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** The value of one of {@link #LEVEL_KEYS} as given in the content, or null when absent. */
    Long given(String key) {
        return levels.get(key);
    }

    Map<String, Long> events() {
        return events;
    }

    Map<String, Long> notifications() {
        return notifications;
    }

    Map<String, Long> users() {
        return users;
    }

    long usersDefault() {
        return levels.getOrDefault("users_default", 0L);
    }

    /** Invite level: defaults to 0. */
    long invite() {
        return levels.getOrDefault("invite", 0L);
    }

    /** Kick level: defaults to 50. */
    long kick() {
        return levels.getOrDefault("kick", 50L);
    }

    /** Ban level: defaults to 50. */
    long ban() {
        return levels.getOrDefault("ban", 50L);
    }

    /** Redact level: defaults to 50. */
    long redact() {
        return levels.getOrDefault("redact", 50L);
    }

    /**
     * Required power level: "The event type is either listed explicitly in the events section or given
     * by either state_default (default 50) or events_default (default 0) depending on if the event is a
     * state event or not."
     */
    long requiredLevel(String eventType, boolean stateEvent) {
        Long explicit = events.get(eventType);
        if (explicit != null) {
            return explicit;
        }
        return stateEvent ? levels.getOrDefault("state_default", 50L) : levels.getOrDefault("events_default", 0L);
    }

    private static final class Problems {
        private String first;

        void add(String problem) {
            if (first == null) {
                first = problem;
            }
        }
    }
}
