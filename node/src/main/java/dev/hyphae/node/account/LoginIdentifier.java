package dev.hyphae.node.account;

import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixException;
import java.util.Optional;

/**
 * The user named in a login or a password stage: {@code identifier} of type {@code m.id.user}, or
 * the deprecated top-level {@code user} field.
 */
public final class LoginIdentifier {
    private LoginIdentifier() {
    }

    /**
     * The user ID or localpart named.
     *
     * @throws MatrixException 400 {@code M_UNKNOWN} for identifier types other than
     *                         {@code m.id.user} (third-party and phone logins are not offered),
     *                         {@code M_MISSING_PARAM} when no user is named
     */
    public static String user(JsonBody body) {
        Optional<JsonBody> identifier = body.optionalObject("identifier");
        if (identifier.isPresent()) {
            String type = identifier.get().string("type");
            if (!type.equals("m.id.user")) {
                throw new MatrixException(400, MatrixException.M_UNKNOWN, "Unsupported identifier type " + type);
            }
            return identifier.get().string("user");
        }
        return body.optionalString("user")
                .orElseThrow(() -> MatrixException.missingParam("Missing field 'identifier'"));
    }
}
