package dev.hyphae.node.directory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationEndpointGroup;
import dev.hyphae.node.federation.FederationRoutes;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET} and {@code POST /_matrix/federation/v1/publicRooms} (server-server API, "Public Room
 * Directory"): this node's own published rooms, for other servers' users. Third-party networks
 * are not bridged here, so {@code include_all_networks} changes nothing.
 */
public final class PublicRoomsFederationEndpoints implements FederationEndpointGroup {
    private static final String PATH = "/_matrix/federation/v1/publicRooms";

    private final PublicRoomList publicRooms;

    public PublicRoomsFederationEndpoints(PublicRoomList publicRooms) {
        this.publicRooms = Objects.requireNonNull(publicRooms, "publicRooms");
    }

    @Override
    public void register(FederationRoutes routes) {
        routes.add(Method.GET, PATH, this::list).add(Method.POST, PATH, this::query);
    }

    /** GET /_matrix/federation/v1/publicRooms?limit=&since= */
    MatrixResponse list(String origin, MatrixRequest request) {
        ObjectNode options = JsonNodeFactory.instance.objectNode();
        Optional<String> limit = request.queryParameter("limit");
        if (limit.isPresent()) {
            if (!limit.get().matches("[0-9]{1,9}")) {
                throw MatrixException.invalidParam("limit must be a non-negative integer");
            }
            options.put("limit", Integer.parseInt(limit.get()));
        }
        request.queryParameter("since").ifPresent(since -> options.put("since", since));
        return answer(options);
    }

    /** POST /_matrix/federation/v1/publicRooms */
    MatrixResponse query(String origin, MatrixRequest request) {
        return answer(request.jsonObjectOrEmpty().raw());
    }

    private MatrixResponse answer(ObjectNode options) {
        try {
            return MatrixResponse.ok(publicRooms.publicRooms(PublicRoomsQuery.fromJson(options)));
        } catch (DirectoryException e) {
            throw new MatrixException(e.httpStatus(), e.errcode(), e.getMessage());
        }
    }
}
