package dev.hyphae.store.sqlite;

import dev.hyphae.store.EventInsertion;
import dev.hyphae.store.NewEvent;
import dev.hyphae.store.Room;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A process for {@link SqliteStoreCrashIT}: writes events from several threads forever and prints
 * {@code ACK <event id>} for each one whose future has completed, the point where a client would be
 * told that its event was accepted.
 */
public final class AcknowledgingWriter {
    static final String ROOM = "!crash:example.onion";

    private AcknowledgingWriter() {
    }

    public static void main(String[] args) throws Exception {
        SqliteStore store = SqliteStore.openInDirectory(Path.of(args[0]));
        store.write(tx -> tx.rooms().insert(new Room(ROOM, "12", 1L))).join();
        PrintStream out = System.out;
        Thread[] writers = new Thread[8];
        for (int w = 0; w < writers.length; w++) {
            int writer = w;
            writers[w] = new Thread(() -> {
                for (long i = 0; ; i++) {
                    String eventId = "$w" + writer + "e" + i;
                    NewEvent event = new NewEvent(eventId, ROOM, "m.room.message", null, "@a:example.onion", i, i,
                            "{\"event_id\":\"" + eventId + "\"}", false, null, List.of(), List.of());
                    EventInsertion done = store.write(tx -> tx.events().insert(event)).join();
                    synchronized (out) {
                        out.println("ACK " + eventId + " " + done.streamOrdering());
                        out.flush();
                    }
                }
            });
            writers[w].start();
        }
        writers[0].join();
    }
}
