package dev.hyphae.node.room;

/**
 * How events of a room version are shaped and named.
 *
 * <p>V1 (rooms v1, v2): the event carries its own {@code event_id}; {@code prev_events} and
 * {@code auth_events} are {@code [id, {hashes}]} pairs. V2 (v3): the event ID is {@code $} and the
 * standard base64 of the reference hash. V3 (v4 and later): the URL-safe base64 of it.
 */
public enum EventFormat {
    V1,
    V2,
    V3;

    /** True where the event ID is derived from the reference hash rather than carried in the event. */
    public boolean eventIdIsHash() {
        return this != V1;
    }
}
