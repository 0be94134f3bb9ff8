package dev.hyphae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.auth.HomeserverSignatures;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.store.Membership;
import dev.hyphae.store.Room;
import dev.hyphae.store.sqlite.SqliteStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hyphae room}: the rooms the node knows, for its owner. */
@Command(name = "room", mixinStandardHelpOptions = true, description = "Look at the node's rooms.",
        subcommands = RoomCommand.ListRooms.class)
final class RoomCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code hyphae room list}: every room with its version, name, alias and members, as JSON. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the rooms as JSON.")
    static final class ListRooms implements Callable<Integer> {
        @Mixin
        DataDirectoryOption dataDirectory;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            ObjectMapper json = new ObjectMapper();
            ArrayNode rooms = json.createArrayNode();
            try (SqliteStore store = SqliteStore.openInDirectory(UserCommand.existingNode(dataDirectory))) {
                RoomQueries queries = new RoomQueries(store, new AuthorizationRules(HomeserverSignatures.verifiedBefore()));
                List<Room> all = store.read(tx -> tx.rooms().all());
                for (Room room : all) {
                    ObjectNode entry = rooms.addObject();
                    entry.put("room_id", room.roomId());
                    entry.put("room_version", room.roomVersion());
                    stateField(queries, room.roomId(), "m.room.name", "name").ifPresent(name -> entry.put("name", name));
                    stateField(queries, room.roomId(), "m.room.canonical_alias", "alias")
                            .ifPresent(alias -> entry.put("canonical_alias", alias));
                    List<Membership> members = queries.members(room.roomId());
                    entry.put("joined_members", members.stream().filter(m -> m.membership().equals("join")).count());
                    entry.put("invited_members", members.stream().filter(m -> m.membership().equals("invite")).count());
                }
            }
            spec.commandLine().getOut().println(json.writerWithDefaultPrettyPrinter().writeValueAsString(rooms));
            return 0;
        }

        private static Optional<String> stateField(RoomQueries queries, String roomId, String type, String field) {
            return queries.stateEvent(roomId, type, "").map(RoomEvent::pdu).map(pdu -> pdu.contentField(field))
                    .filter(JsonNode::isTextual).map(JsonNode::textValue);
        }
    }
}
