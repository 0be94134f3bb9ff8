package dev.hyphae.node.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.MatrixException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoomServerAclsTest {
    private final ObjectNode denyEvil = JsonNodeFactory.instance.objectNode();
    private final RoomServerAcls acls;

    RoomServerAclsTest() {
        denyEvil.putArray("allow").add("*");
        denyEvil.putArray("deny").add("evil.com");
        Map<String, ObjectNode> rooms = Map.of("!acl:here", denyEvil);
        acls = new RoomServerAcls(roomId -> Optional.ofNullable(rooms.get(roomId)));
    }

    @Test
    void roomWithoutAnAclAllowsEveryServer() {
        assertTrue(acls.allows("evil.com", "!open:here"));
        assertTrue(acls.allows("evil.com", ""));
    }

    @Test
    void deniedServerGetsForbidden() {
        MatrixException refused = assertThrows(MatrixException.class, () -> acls.requireAllowed("evil.com", "!acl:here"));
        assertEquals(403, refused.status());
        assertEquals(MatrixException.M_FORBIDDEN, refused.errcode());
        assertFalse(acls.allows("evil.com:8448", "!acl:here"));
        acls.requireAllowed("good.org", "!acl:here");
    }
}
