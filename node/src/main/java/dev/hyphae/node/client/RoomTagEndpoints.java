package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.accountdata.AccountDataService;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.RoomId;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.AccountDataEntry;
import dev.hyphae.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Room tagging (client-server API, "Room Tagging"): a user's tags on a room, kept as the room
 * account data {@code m.tag}, so they reach the user's clients in /sync. Each change reads and
 * rewrites the whole {@code m.tag} content in one store write, so concurrent changes are not lost.
 */
public final class RoomTagEndpoints implements EndpointGroup {
    static final String TAG_TYPE = "m.tag";
    /** "The name of a tag MUST NOT exceed 255 bytes." */
    static final int MAX_TAG_BYTES = 255;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccountDataService accountData;
    private final Store store;

    public RoomTagEndpoints(AccountDataService accountData, Store store) {
        this.accountData = Objects.requireNonNull(accountData, "accountData");
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public void register(RouteTable routes) {
        String tags = "/_matrix/client/v3/user/{userId}/rooms/{roomId}/tags";
        routes.add(Method.GET, tags, Authentication.REQUIRED, this::tags)
                .add(Method.PUT, tags + "/{tag}", Authentication.REQUIRED, this::putTag)
                .add(Method.DELETE, tags + "/{tag}", Authentication.REQUIRED, this::deleteTag);
    }

    /** GET /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags */
    MatrixResponse tags(MatrixRequest request) {
        UserId user = UserIds.requireSelf(request);
        String roomId = roomId(request);
        ObjectNode content = store.read(tx -> current(tx.accountData().get(user.toString(), roomId, TAG_TYPE)));
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("tags", content.get("tags"));
        return MatrixResponse.ok(response);
    }

    /** PUT /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag} */
    MatrixResponse putTag(MatrixRequest request) {
        UserId user = UserIds.requireSelf(request);
        String roomId = roomId(request);
        String tag = tag(request);
        ObjectNode tagContent = request.jsonObject().raw();
        JsonNode order = tagContent.path("order");
        if (!order.isMissingNode() && !order.isNull() && !order.isNumber()) {
            throw MatrixException.invalidParam("order must be a number");
        }
        change(user, roomId, tags -> tags.set(tag, tagContent.deepCopy()));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    /** DELETE /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag} */
    MatrixResponse deleteTag(MatrixRequest request) {
        UserId user = UserIds.requireSelf(request);
        String roomId = roomId(request);
        String tag = tag(request);
        change(user, roomId, tags -> tags.remove(tag));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    private void change(UserId user, String roomId, java.util.function.Consumer<ObjectNode> edit) {
        ServiceErrors.await(store.write(tx -> {
            ObjectNode content = current(tx.accountData().get(user.toString(), roomId, TAG_TYPE));
            edit.accept((ObjectNode) content.get("tags"));
            return accountData.setInTransaction(tx, user.toString(), roomId, TAG_TYPE, content);
        }));
    }

    /** The stored {@code m.tag} content, always with a {@code tags} object. */
    private static ObjectNode current(Optional<AccountDataEntry> entry) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        if (entry.isPresent()) {
            try {
                JsonNode stored = JSON.readTree(entry.get().contentJson());
                if (stored.isObject()) {
                    content = (ObjectNode) stored;
                }
            } catch (IOException e) {
                // Account data is stored as JSON objects; anything else is treated as no tags.
            }
        }
        if (!content.path("tags").isObject()) {
            content.putObject("tags");
        }
        return content;
    }

    private static String roomId(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        try {
            return RoomId.parse(roomId).toString();
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("Not a room ID: " + roomId);
        }
    }

    private static String tag(MatrixRequest request) {
        String tag = request.pathParameter("tag");
        if (tag.isEmpty() || tag.getBytes(StandardCharsets.UTF_8).length > MAX_TAG_BYTES) {
            throw MatrixException.invalidParam("A tag is 1 to " + MAX_TAG_BYTES + " bytes long");
        }
        return tag;
    }
}
