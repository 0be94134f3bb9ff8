package dev.hyphae.node.client;

import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.UserId;

/** Reading the {@code {userId}} of a path, and the "only for yourself" rule of per-user endpoints. */
final class UserIds {
    private UserIds() {
    }

    /** The path's user ID; M_INVALID_PARAM when it is not one. */
    static UserId fromPath(MatrixRequest request) {
        String raw = request.pathParameter("userId");
        try {
            return UserId.parse(raw);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("Not a user ID: " + raw);
        }
    }

    /** The path's user ID, which must be the requester's; M_FORBIDDEN otherwise. */
    static UserId requireSelf(MatrixRequest request) {
        UserId user = fromPath(request);
        if (!user.equals(request.requester().userId())) {
            throw MatrixException.forbidden("You may only do this for your own user ID");
        }
        return user;
    }
}
