package dev.hyphae.node.acl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.acl.ServerAclValidation.InvalidServerAclException;
import org.junit.jupiter.api.Test;

class ServerAclTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ONION = "pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion";
    private static final String OTHER_ONION = "sp3k262uwy4r2k3ycr5awluarykdpag6a7y33jxop4cs2lu5uz5sseqd.onion";

    private static ServerAcl acl(String json) {
        return ServerAcl.fromContent(content(json));
    }

    private static JsonNode content(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void denyListWinsOverAllowList() {
        ServerAcl acl = acl("{\"allow\":[\"*\"],\"deny\":[\"evil.com\",\"*.evil.com\"]}");
        assertFalse(acl.allows("evil.com"));
        assertFalse(acl.allows("matrix.evil.com"));
        assertTrue(acl.allows("good.org"));
    }

    @Test
    void serverMatchingNoAllowEntryIsDenied() {
        ServerAcl acl = acl("{\"allow\":[\"*.onion\"]}");
        assertTrue(acl.allows(ONION));
        assertFalse(acl.allows("matrix.org"));
    }

    @Test
    void missingAllowListDeniesEveryServer() {
        assertFalse(acl("{\"deny\":[]}").allows("matrix.org"));
        assertFalse(acl("{}").allows(ONION));
    }

    @Test
    void onionNamesAreMatchedExactlyAndIgnoringCase() {
        ServerAcl acl = acl("{\"allow\":[\"*\"],\"deny\":[\"" + OTHER_ONION + "\"]}");
        assertTrue(acl.allows(ONION));
        assertFalse(acl.allows(OTHER_ONION));
        assertFalse(acl.allows(OTHER_ONION.toUpperCase()));
    }

    @Test
    void portOfTheServerNameIsNotConsidered() {
        ServerAcl acl = acl("{\"allow\":[\"*\"],\"deny\":[\"evil.com\"]}");
        assertFalse(acl.allows("evil.com:8448"));
        assertFalse(acl.allows("evil.com:1234"));
        assertTrue(acl("{\"allow\":[\"[::1]\"]}").allows("[::1]:8448"));
    }

    @Test
    void ipLiteralsAreDeniedOnlyWhenAllowIpLiteralsIsFalse() {
        ServerAcl strict = acl("{\"allow\":[\"*\"],\"allow_ip_literals\":false}");
        assertFalse(strict.allows("1.2.3.4"));
        assertFalse(strict.allows("1.2.3.4:8448"));
        assertFalse(strict.allows("[2001:db8::1]"));
        assertFalse(strict.allows("[2001:db8::1]:8448"));
        assertTrue(strict.allows("matrix.org"));
        assertTrue(acl("{\"allow\":[\"*\"]}").allows("1.2.3.4"));
        assertTrue(acl("{\"allow\":[\"*\"],\"allow_ip_literals\":\"false\"}").allows("1.2.3.4"),
                "a value that is not a boolean counts as true");
    }

    @Test
    void malformedEntriesAreSkippedNotFatal() {
        ServerAcl acl = acl("{\"allow\":[\"*\", 5, null],\"deny\":\"evil.com\"}");
        assertTrue(acl.allows("evil.com"), "a deny that is not an array is the empty list");
        assertFalse(acl("[1,2]").allows("matrix.org"));
        assertFalse(ServerAcl.fromContent(null).allows("matrix.org"));
    }

    @Test
    void validationRefusesWrongShapes() {
        assertThrows(InvalidServerAclException.class,
                () -> ServerAclValidation.validate(content("{\"allow\":\"*\"}"), ONION));
        assertThrows(InvalidServerAclException.class,
                () -> ServerAclValidation.validate(content("{\"allow\":[\"*\"],\"deny\":[1]}"), ONION));
        assertThrows(InvalidServerAclException.class,
                () -> ServerAclValidation.validate(content("{\"allow\":[\"*\"],\"allow_ip_literals\":\"no\"}"), ONION));
        assertThrows(InvalidServerAclException.class, () -> ServerAclValidation.validate(content("[]"), ONION));
    }

    @Test
    void validationRefusesAnAclThatLocksOutTheSendersOwnServer() {
        InvalidServerAclException refused = assertThrows(InvalidServerAclException.class,
                () -> ServerAclValidation.validate(content("{\"allow\":[\"*\"],\"deny\":[\"*.onion\"]}"), ONION));
        assertTrue(refused.getMessage().contains(ONION), refused.getMessage());
        assertThrows(InvalidServerAclException.class, () -> ServerAclValidation.validate(content("{}"), ONION));
    }

    @Test
    void validationAcceptsAWellFormedAcl() {
        ServerAcl acl = ServerAclValidation.validate(
                content("{\"allow\":[\"*\"],\"deny\":[\"" + OTHER_ONION + "\"],\"allow_ip_literals\":false}"), ONION);
        assertFalse(acl.allows(OTHER_ONION));
    }
}
