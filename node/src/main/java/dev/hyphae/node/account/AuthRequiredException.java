package dev.hyphae.node.account;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.MatrixException;

/**
 * The 401 answer of user-interactive authentication: the flows, params, session and completed
 * stages. The body has {@code errcode} and {@code error} only when a stage just failed; a plain
 * "authenticate first" answer has none, so clients do not show it as an error.
 */
public final class AuthRequiredException extends MatrixException {
    private static final long serialVersionUID = 1L;

    private final transient ObjectNode state;
    private final boolean stageFailed;

    AuthRequiredException(ObjectNode state, String errcode, String message) {
        super(401, errcode == null ? M_UNAUTHORIZED : errcode, message == null ? "Authentication required" : message,
                state);
        this.state = state.deepCopy();
        this.stageFailed = errcode != null;
    }

    @Override
    public ObjectNode body() {
        return stageFailed ? super.body() : state.deepCopy();
    }
}
