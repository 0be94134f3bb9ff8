package dev.hyphae.node.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * What the rules read from auth events: the content of each event, read in place through
 * {@link Pdu#contentView()}, and a small cache of parsed power levels. State resolution checks
 * many events against the same few power levels events, so each event instance is parsed once
 * while it stays in the cache. Keyed by instance identity (not event ID), so two different events
 * carrying the same ID can never see each other's power levels. Bounded, and safe to share between
 * threads: a lost race only costs a second parse. Content is never modified.
 */
final class ParsedEvents {
    private static final int SLOTS = 512;

    private record Entry<T>(Pdu event, T value) {
    }

    private final AtomicReferenceArray<Entry<PowerLevels>> powerLevels = new AtomicReferenceArray<>(SLOTS);

    /** The content of {@code event}, not copied; callers must not modify it. */
    ObjectNode content(Pdu event) {
        return event.contentView();
    }

    /** The power levels of an {@code m.room.power_levels} event, by its room version's rules. */
    PowerLevels powerLevels(Pdu event) {
        return lookup(powerLevels, event, e -> PowerLevels.parse(content(e), e.roomVersion().authRules()));
    }

    private static <T> T lookup(AtomicReferenceArray<Entry<T>> slots, Pdu event, Function<Pdu, T> parse) {
        int slot = mix(System.identityHashCode(event)) & (SLOTS - 1);
        Entry<T> entry = slots.get(slot);
        if (entry != null && entry.event() == event) {
            return entry.value();
        }
        T value = parse.apply(event);
        slots.set(slot, new Entry<>(event, value));
        return value;
    }

    private static int mix(int hash) {
        return hash ^ (hash >>> 16);
    }
}
