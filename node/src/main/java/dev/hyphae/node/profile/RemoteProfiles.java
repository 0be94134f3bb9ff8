package dev.hyphae.node.profile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.identifier.UserId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The seam to other servers for their users' profiles: the federation layer implements it with
 * {@code GET /_matrix/federation/v1/query/profile}.
 */
public interface RemoteProfiles {
    /**
     * The profile of a user of another server: every field, or only {@code field} when given.
     * Fails with a {@link ProfileException}: M_NOT_FOUND when the server knows no such user,
     * another error when it could not be asked.
     */
    CompletableFuture<ObjectNode> query(UserId user, Optional<String> field);

    /** No federation: users of other servers have no profile here. */
    RemoteProfiles NONE = (user, field) -> CompletableFuture.failedFuture(
            ProfileException.notFound("profiles of users on other servers are not available"));
}
