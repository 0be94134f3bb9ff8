package dev.hyphae.node.acl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The checks on an {@code m.room.server_acl} content that a local user sends: the shape the event
 * schema gives ({@code allow} and {@code deny} arrays of strings, {@code allow_ip_literals} a
 * boolean), and that the ACL still admits this server. Without that last check one event would cut
 * the sender's own server out of the room ("Failing to provide an allow rule of some kind will
 * prevent all servers from participating in the room, including the sender").
 */
public final class ServerAclValidation {
    private ServerAclValidation() {
    }

    /**
     * @throws InvalidServerAclException naming the first problem
     */
    public static ServerAcl validate(JsonNode content, String ownServerName) {
        Objects.requireNonNull(ownServerName, "ownServerName");
        if (content == null || !content.isObject()) {
            throw new InvalidServerAclException("the content of m.room.server_acl must be an object");
        }
        requireStrings(content, "allow");
        requireStrings(content, "deny");
        JsonNode ipLiterals = content.get("allow_ip_literals");
        if (ipLiterals != null && !ipLiterals.isBoolean()) {
            throw new InvalidServerAclException("allow_ip_literals must be a boolean");
        }
        ServerAcl acl = ServerAcl.fromContent(content);
        if (!acl.allows(ownServerName)) {
            throw new InvalidServerAclException("M_FORBIDDEN", "the ACL would deny this server (" + ownServerName
                    + ") access to the room");
        }
        return acl;
    }

    private static void requireStrings(JsonNode content, String key) {
        JsonNode list = content.get(key);
        if (list == null) {
            return;
        }
        if (!list.isArray()) {
            throw new InvalidServerAclException(key + " must be an array of strings");
        }
        for (JsonNode entry : list) {
            if (!entry.isTextual()) {
                throw new InvalidServerAclException(key + " must be an array of strings, not " + entry);
            }
        }
    }

    /** A server ACL content a local user may not send, with the reason. */
    public static final class InvalidServerAclException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String errcode;

        InvalidServerAclException(String reason) {
            this("M_BAD_JSON", reason);
        }

        InvalidServerAclException(String errcode, String reason) {
            super(reason);
            this.errcode = errcode;
        }

        /** {@code M_BAD_JSON} for a content of the wrong shape, {@code M_FORBIDDEN} for one that denies this server. */
        public String errcode() {
            return errcode;
        }

        /** The HTTP status to answer a client with. */
        public int status() {
            return errcode.equals("M_FORBIDDEN") ? 403 : 400;
        }
    }
}
