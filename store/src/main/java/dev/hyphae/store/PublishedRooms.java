package dev.hyphae.store;

import java.util.List;

/** The rooms this server lists in its public room directory. */
public interface PublishedRooms {
    boolean isPublished(String roomId);

    /** Every published room ID, in room ID order. */
    List<String> all();

    interface Writer extends PublishedRooms {
        /** Lists or unlists the room; listing a listed room or unlisting an unlisted one changes nothing. */
        void setPublished(String roomId, boolean published, long ts);
    }
}
