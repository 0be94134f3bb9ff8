package dev.hyphae.node.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.RoomAlias;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.store.Membership;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoredRoomAlias;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The room aliases of this server ("Room aliases"): created only for this server's own name and
 * rooms it holds, deleted by their creator or by a user with the power to change the room's
 * canonical alias, resolved locally or, for other servers' aliases, by asking that server.
 */
public final class AliasDirectory {
    static final String CANONICAL_ALIAS = "m.room.canonical_alias";

    private final Store store;
    private final RoomQueries queries;
    private final String serverName;
    private final RemoteDirectory remote;
    private final Clock clock;

    public AliasDirectory(Store store, RoomQueries queries, String serverName, RemoteDirectory remote, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.remote = Objects.requireNonNull(remote, "remote");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** This node's server name, the only one its aliases may carry. */
    public String serverName() {
        return serverName;
    }

    /**
     * PUT /directory/room/{roomAlias}: maps a new alias of this server to a room this node holds.
     *
     * @throws DirectoryException M_INVALID_PARAM for a malformed alias or one of another server,
     *                            M_NOT_FOUND for an unknown room, 409 M_ROOM_IN_USE when the alias exists
     */
    public void create(String alias, String roomId, String userId) {
        RoomAlias parsed = localAlias(alias);
        if (!queries.roomExists(roomId)) {
            throw DirectoryException.notFound("Unknown room " + roomId);
        }
        boolean stored = store.write(tx -> tx.roomAliases().insert(
                new StoredRoomAlias(parsed.toString(), roomId, userId, clock.millis()))).join();
        if (!stored) {
            throw new DirectoryException(409, "M_ROOM_IN_USE", "Room alias " + alias + " already exists");
        }
    }

    /**
     * Checks before a room is created with {@code room_alias_name} that its alias is free.
     *
     * @throws DirectoryException 400 M_ROOM_IN_USE when the alias exists, M_INVALID_PARAM when malformed
     */
    public void requireFree(String alias) {
        RoomAlias parsed = localAlias(alias);
        if (store.read(tx -> tx.roomAliases().get(parsed.toString())).isPresent()) {
            throw new DirectoryException(400, "M_ROOM_IN_USE", "Room alias " + alias + " already exists");
        }
    }

    /**
     * GET /directory/room/{roomAlias}: the room and servers of an alias, of this server or another.
     *
     * @throws DirectoryException M_INVALID_PARAM for a malformed alias, M_NOT_FOUND for an unknown one
     */
    public ResolvedAlias resolve(String alias) {
        RoomAlias parsed = parse(alias);
        if (!parsed.serverName().toString().equals(serverName)) {
            return remote.queryAlias(parsed.serverName().toString(), parsed.toString());
        }
        return resolveLocal(parsed.toString())
                .orElseThrow(() -> DirectoryException.notFound("Room alias " + alias + " not found"));
    }

    /** An alias of this server, as the federation directory query answers it; empty when unknown. */
    public Optional<ResolvedAlias> resolveLocal(String alias) {
        Optional<StoredRoomAlias> stored = store.read(tx -> tx.roomAliases().get(alias));
        return stored.map(found -> new ResolvedAlias(found.roomId(), serversOf(found.roomId())));
    }

    /**
     * DELETE /directory/room/{roomAlias}.
     *
     * @throws DirectoryException M_NOT_FOUND for an alias this server does not have, M_FORBIDDEN
     *                            when the user neither created it nor may change the room's canonical alias
     */
    public void delete(String alias, String userId) {
        RoomAlias parsed = parse(alias);
        StoredRoomAlias stored = store.read(tx -> tx.roomAliases().get(parsed.toString()))
                .orElseThrow(() -> DirectoryException.notFound("Room alias " + alias + " not found"));
        if (!stored.creator().equals(userId) && !maySendCanonicalAlias(stored.roomId(), userId)) {
            throw DirectoryException.forbidden("Only the creator of " + alias
                    + " or a user who may change the room's canonical alias may delete it");
        }
        if (!store.write(tx -> tx.roomAliases().delete(parsed.toString())).join()) {
            throw DirectoryException.notFound("Room alias " + alias + " not found");
        }
    }

    /**
     * Points every alias of this server that names {@code oldRoomId} at {@code newRoomId}, as a room
     * upgrade does; each keeps its creator, who may still delete it.
     *
     * @return the aliases moved, in the order the store lists them
     */
    public List<String> moveAll(String oldRoomId, String newRoomId) {
        Objects.requireNonNull(oldRoomId, "oldRoomId");
        Objects.requireNonNull(newRoomId, "newRoomId");
        return store.write(tx -> {
            List<String> moved = new ArrayList<>();
            for (StoredRoomAlias alias : tx.roomAliases().forRoom(oldRoomId)) {
                tx.roomAliases().delete(alias.alias());
                tx.roomAliases().insert(new StoredRoomAlias(alias.alias(), newRoomId, alias.creator(),
                        alias.createdTs()));
                moved.add(alias.alias());
            }
            return List.copyOf(moved);
        }).join();
    }

    /**
     * GET /rooms/{roomId}/aliases: the room's aliases on this server, for its members (anyone when
     * the room is world readable).
     *
     * @throws DirectoryException M_FORBIDDEN for others, and for rooms this node does not hold
     */
    public List<String> localAliases(String roomId, String userId) {
        if (!queries.roomExists(roomId)) {
            throw DirectoryException.forbidden("You are not a member of " + roomId);
        }
        boolean joined = queries.membership(roomId, userId).map("join"::equals).orElse(false);
        boolean worldReadable = queries.stateEvent(roomId, "m.room.history_visibility", "")
                .map(event -> event.pdu().contentField("history_visibility").asText(""))
                .map("world_readable"::equals).orElse(false);
        if (!joined && !worldReadable) {
            throw DirectoryException.forbidden("You are not a member of " + roomId);
        }
        List<String> aliases = new ArrayList<>();
        store.read(tx -> tx.roomAliases().forRoom(roomId)).forEach(alias -> aliases.add(alias.alias()));
        return aliases;
    }

    /**
     * Checks the content of an {@code m.room.canonical_alias} event about to be sent: every alias
     * it adds to the room's current one must be well formed and point to the room.
     *
     * @throws DirectoryException M_INVALID_PARAM for malformed aliases, M_BAD_ALIAS for aliases
     *                            that do not point to the room
     */
    public void checkCanonicalAlias(String roomId, ObjectNode content) {
        Set<String> named = new LinkedHashSet<>();
        JsonNode alias = content.path("alias");
        if (!alias.isMissingNode() && !alias.isNull()) {
            if (!alias.isTextual()) {
                throw DirectoryException.invalidParam("alias must be a string");
            }
            if (!alias.textValue().isEmpty()) {
                named.add(alias.textValue());
            }
        }
        JsonNode alternatives = content.path("alt_aliases");
        if (!alternatives.isMissingNode() && !alternatives.isNull()) {
            if (!alternatives.isArray()) {
                throw DirectoryException.invalidParam("alt_aliases must be an array of room aliases");
            }
            for (JsonNode alternative : alternatives) {
                if (!alternative.isTextual()) {
                    throw DirectoryException.invalidParam("alt_aliases must be an array of room aliases");
                }
                named.add(alternative.textValue());
            }
        }
        Set<String> current = currentCanonicalAliases(roomId);
        for (String name : named) {
            parse(name);
            if (current.contains(name)) {
                continue;
            }
            String target;
            try {
                target = resolve(name).roomId();
            } catch (DirectoryException e) {
                throw DirectoryException.badAlias("The alias " + name + " does not point to this room: "
                        + e.getMessage());
            }
            if (!target.equals(roomId)) {
                throw DirectoryException.badAlias("The alias " + name + " does not point to this room");
            }
        }
    }

    /** Whether the user may send {@code m.room.canonical_alias} in the room's current state. */
    public boolean maySendCanonicalAlias(String roomId, String userId) {
        if (!queries.roomExists(roomId)) {
            return false;
        }
        return RoomPowers.maySendState(queries.currentState(roomId), queries.roomVersion(roomId), userId,
                CANONICAL_ALIAS);
    }

    private Set<String> currentCanonicalAliases(String roomId) {
        Set<String> aliases = new TreeSet<>();
        Optional<RoomEvent> current = queries.roomExists(roomId)
                ? queries.stateEvent(roomId, CANONICAL_ALIAS, "") : Optional.empty();
        current.ifPresent(event -> {
            JsonNode alias = event.pdu().contentField("alias");
            if (alias.isTextual()) {
                aliases.add(alias.textValue());
            }
            for (JsonNode alternative : event.pdu().contentField("alt_aliases")) {
                if (alternative.isTextual()) {
                    aliases.add(alternative.textValue());
                }
            }
        });
        return aliases;
    }

    /** This server first, then the other servers of the room's joined members. */
    private List<String> serversOf(String roomId) {
        Set<String> servers = new LinkedHashSet<>();
        servers.add(serverName);
        if (queries.roomExists(roomId)) {
            Set<String> others = new TreeSet<>();
            for (Membership member : queries.members(roomId)) {
                int colon = member.userId().indexOf(':');
                if (member.membership().equals("join") && colon > 0) {
                    others.add(member.userId().substring(colon + 1));
                }
            }
            servers.addAll(others);
        }
        return List.copyOf(servers);
    }

    private RoomAlias localAlias(String alias) {
        RoomAlias parsed = parse(alias);
        if (!parsed.serverName().toString().equals(serverName)) {
            throw DirectoryException.invalidParam("Room alias " + alias + " is not of this server (" + serverName
                    + "); aliases of other servers are made there");
        }
        return parsed;
    }

    private static RoomAlias parse(String alias) {
        try {
            return RoomAlias.parse(alias);
        } catch (InvalidIdentifierException e) {
            throw DirectoryException.invalidParam("Room alias invalid: " + e.getMessage());
        }
    }
}
