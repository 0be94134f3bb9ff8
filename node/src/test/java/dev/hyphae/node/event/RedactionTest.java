package dev.hyphae.node.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.room.RedactionRules;
import dev.hyphae.node.room.RoomVersions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {

    private static String redact(String event, String version) {
        RedactionRules rules = RoomVersions.get(version).redaction();
        return CanonicalJson.encodeToString(Redaction.redact(CanonicalJson.parseObject(event), rules));
    }

    private static String event(String type, String content) {
        return "{\"type\":\"" + type + "\",\"state_key\":\"\",\"sender\":\"@a:x\",\"room_id\":\"!r:x\",\"content\":" + content
                + ",\"depth\":1,\"origin_server_ts\":2,\"hashes\":{\"sha256\":\"h\"},\"signatures\":{},\"prev_events\":[],"
                + "\"auth_events\":[],\"unsigned\":{\"age\":1},\"origin\":\"x\",\"membership\":\"join\",\"prev_state\":[],"
                + "\"redacts\":\"$e\",\"event_id\":\"$i:x\",\"other\":1}";
    }

    private static final String COMMON_BEFORE_V11 = "\"depth\":1,\"event_id\":\"$i:x\",\"hashes\":{\"sha256\":\"h\"},"
            + "\"membership\":\"join\",\"origin\":\"x\",\"origin_server_ts\":2,\"prev_events\":[],\"prev_state\":[],"
            + "\"room_id\":\"!r:x\",\"sender\":\"@a:x\",\"signatures\":{},\"state_key\":\"\"";
    private static final String COMMON_V11 = "\"depth\":1,\"event_id\":\"$i:x\",\"hashes\":{\"sha256\":\"h\"},"
            + "\"origin_server_ts\":2,\"prev_events\":[],\"room_id\":\"!r:x\",\"sender\":\"@a:x\",\"signatures\":{},"
            + "\"state_key\":\"\"";

    @Test
    void topLevelKeysBeforeV11KeepOriginMembershipAndPrevState() {
        assertEquals("{\"auth_events\":[],\"content\":{}," + COMMON_BEFORE_V11 + ",\"type\":\"m.room.message\"}",
                redact(event("m.room.message", "{\"body\":\"hi\"}"), "10"));
    }

    @Test
    void topLevelKeysFromV11DropOriginMembershipAndPrevState() {
        for (String version : new String[] {"11", "12"}) {
            assertEquals("{\"auth_events\":[],\"content\":{}," + COMMON_V11 + ",\"type\":\"m.room.message\"}",
                    redact(event("m.room.message", "{\"body\":\"hi\"}"), version));
        }
    }

    @ParameterizedTest(name = "{0} v{2}")
    @CsvSource(delimiter = '|', value = {
            // m.room.aliases keeps aliases in v1-v5 only.
            "m.room.aliases|{\"aliases\":[\"#a:x\"],\"x\":1}|5|{\"aliases\":[\"#a:x\"]}",
            "m.room.aliases|{\"aliases\":[\"#a:x\"],\"x\":1}|6|{}",
            // m.room.join_rules keeps allow from v8.
            "m.room.join_rules|{\"join_rule\":\"restricted\",\"allow\":[],\"x\":1}|7|{\"join_rule\":\"restricted\"}",
            "m.room.join_rules|{\"join_rule\":\"restricted\",\"allow\":[],\"x\":1}|8|{\"allow\":[],\"join_rule\":\"restricted\"}",
            // m.room.member keeps join_authorised_via_users_server from v9.
            "m.room.member|{\"membership\":\"join\",\"join_authorised_via_users_server\":\"@b:y\",\"displayname\":\"A\"}|8|{\"membership\":\"join\"}",
            "m.room.member|{\"membership\":\"join\",\"join_authorised_via_users_server\":\"@b:y\",\"displayname\":\"A\"}|9|{\"join_authorised_via_users_server\":\"@b:y\",\"membership\":\"join\"}",
            // m.room.member keeps third_party_invite.signed from v11.
            "m.room.member|{\"membership\":\"invite\",\"third_party_invite\":{\"display_name\":\"d\",\"signed\":{\"token\":\"t\"}}}|10|{\"membership\":\"invite\"}",
            "m.room.member|{\"membership\":\"invite\",\"third_party_invite\":{\"display_name\":\"d\",\"signed\":{\"token\":\"t\"}}}|11|{\"membership\":\"invite\",\"third_party_invite\":{\"signed\":{\"token\":\"t\"}}}",
            "m.room.member|{\"membership\":\"invite\",\"third_party_invite\":{\"display_name\":\"d\"}}|11|{\"membership\":\"invite\"}",
            // m.room.create keeps creator before v11, everything from v11.
            "m.room.create|{\"creator\":\"@a:x\",\"room_version\":\"10\",\"m.federate\":false}|10|{\"creator\":\"@a:x\"}",
            "m.room.create|{\"room_version\":\"12\",\"additional_creators\":[\"@b:y\"]}|12|{\"additional_creators\":[\"@b:y\"],\"room_version\":\"12\"}",
            // m.room.power_levels keeps invite from v11.
            "m.room.power_levels|{\"ban\":50,\"events\":{},\"events_default\":0,\"invite\":0,\"kick\":50,\"redact\":50,\"state_default\":50,\"users\":{},\"users_default\":0,\"notifications\":{\"room\":50}}|10|{\"ban\":50,\"events\":{},\"events_default\":0,\"kick\":50,\"redact\":50,\"state_default\":50,\"users\":{},\"users_default\":0}",
            "m.room.power_levels|{\"ban\":50,\"events\":{},\"events_default\":0,\"invite\":0,\"kick\":50,\"redact\":50,\"state_default\":50,\"users\":{},\"users_default\":0,\"notifications\":{\"room\":50}}|11|{\"ban\":50,\"events\":{},\"events_default\":0,\"invite\":0,\"kick\":50,\"redact\":50,\"state_default\":50,\"users\":{},\"users_default\":0}",
            // m.room.redaction keeps content.redacts from v11.
            "m.room.redaction|{\"redacts\":\"$e\",\"reason\":\"spam\"}|10|{}",
            "m.room.redaction|{\"redacts\":\"$e\",\"reason\":\"spam\"}|11|{\"redacts\":\"$e\"}",
            "m.room.history_visibility|{\"history_visibility\":\"shared\",\"x\":1}|1|{\"history_visibility\":\"shared\"}",
            "m.room.name|{\"name\":\"n\"}|12|{}"})
    void contentKeepsOnlyTheVersionsProtectedKeys(String type, String content, String version, String expected) {
        ObjectNode redacted = Redaction.redact(CanonicalJson.parseObject(event(type, content)),
                RoomVersions.get(version).redaction());
        assertEquals(expected, CanonicalJson.encodeToString(redacted.get("content")));
    }

    @Test
    void missingContentBecomesEmptyObjectAndInputIsUnchanged() {
        ObjectNode event = CanonicalJson.parseObject("{\"type\":\"m.room.message\",\"unsigned\":{}}");
        ObjectNode redacted = Redaction.redact(event, RoomVersions.get("12").redaction());
        assertEquals("{\"content\":{},\"type\":\"m.room.message\"}", CanonicalJson.encodeToString(redacted));
        assertEquals("{\"type\":\"m.room.message\",\"unsigned\":{}}", event.toString());
    }
}
