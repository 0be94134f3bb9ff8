package dev.hyphae.node.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoomsOfRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theRoomOfARoomEndpointIsReadFromItsEncodedPath() {
        FederationRequest makeJoin = FederationRequest.get("b.onion",
                "/_matrix/federation/v1/make_join/%21moss%3Ab.onion/%40ann%3Aa.onion?ver=12");

        assertEquals(Set.of("!moss:b.onion"), RoomsOfRequest.roomIds(makeJoin));
    }

    @Test
    void aTransactionCarriesTheRoomsOfItsPdusTypingAndReceipts() throws Exception {
        FederationRequest send = FederationRequest.put("b.onion", "/_matrix/federation/v1/send/txn1", JSON.readTree("""
                {"origin": "a.onion", "origin_server_ts": 1,
                 "pdus": [{"room_id": "!one:a.onion"}, {"room_id": "!one:a.onion"}],
                 "edus": [{"edu_type": "m.typing", "content": {"room_id": "!two:a.onion", "user_id": "@ann:a.onion"}},
                          {"edu_type": "m.receipt", "content": {"!three:a.onion": {}}},
                          {"edu_type": "m.direct_to_device", "content": {"messages": {}}}]}
                """));

        assertEquals(Set.of("!one:a.onion", "!two:a.onion", "!three:a.onion"), RoomsOfRequest.roomIds(send));
    }

    @Test
    void keyAndDeviceRequestsBelongToNoRoom() throws Exception {
        FederationRequest query = FederationRequest.post("b.onion", "/_matrix/federation/v1/user/keys/query",
                JSON.readTree("{\"device_keys\": {\"@bo:b.onion\": []}}"));

        assertEquals(Set.of(), RoomsOfRequest.roomIds(query));
    }
}
