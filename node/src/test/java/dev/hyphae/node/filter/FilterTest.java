package dev.hyphae.node.filter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = "!room:example.onion";

    private static Filter filter(String json) throws Exception {
        return Filter.parse(JSON.readTree(json));
    }

    private static ObjectNode event(String type, String sender) {
        ObjectNode event = JSON.createObjectNode().put("type", type).put("sender", sender);
        event.putObject("content");
        return event;
    }

    private static String errcodeOf(String json) {
        return assertThrows(FilterException.class, () -> filter(json)).errcode();
    }

    @Test
    void theSpecsExampleFilterParses() throws Exception {
        Filter parsed = filter("""
                {"room": {"state": {"types": ["m.room.*"], "not_rooms": ["!726s6s6q:example.com"]},
                  "timeline": {"limit": 10, "types": ["m.room.message"], "not_rooms": ["!726s6s6q:example.com"],
                               "not_senders": ["@spam:example.com"]},
                  "ephemeral": {"types": ["m.receipt", "m.typing"], "not_rooms": ["!726s6s6q:example.com"],
                                "not_senders": ["@spam:example.com"]}},
                 "presence": {"types": ["m.presence"], "not_senders": ["@alice:example.com"]},
                 "event_format": "client", "event_fields": ["type", "content", "sender"]}""");
        assertEquals(10, parsed.room().timeline().events().limit().getAsInt());
        assertEquals(Filter.EventFormat.CLIENT, parsed.eventFormat());
        assertTrue(parsed.room().state().matches(event("m.room.name", "@a:x"), ROOM));
        assertFalse(parsed.room().state().matches(event("m.room.name", "@a:x"), "!726s6s6q:example.com"));
        assertFalse(parsed.room().timeline().matches(event("m.room.message", "@spam:example.com"), ROOM));
        assertFalse(parsed.presence().matches(event("m.presence", "@alice:example.com")));
    }

    @Test
    void malformedFiltersAreRefusedWithBadJsonOrInvalidParam() {
        assertEquals("M_BAD_JSON", errcodeOf("[]"));
        assertEquals("M_BAD_JSON", errcodeOf("{\"room\": []}"));
        assertEquals("M_BAD_JSON", errcodeOf("{\"room\": {\"timeline\": {\"limit\": \"10\"}}}"));
        assertEquals("M_BAD_JSON", errcodeOf("{\"room\": {\"timeline\": {\"types\": \"m.room.message\"}}}"));
        assertEquals("M_BAD_JSON", errcodeOf("{\"room\": {\"include_leave\": \"yes\"}}"));
        assertEquals("M_BAD_JSON", errcodeOf("{\"event_fields\": [1]}"));
        assertEquals("M_BAD_JSON", errcodeOf("{\"event_format\": 1}"));
        assertEquals("M_INVALID_PARAM", errcodeOf("{\"room\": {\"timeline\": {\"limit\": 0}}}"));
        assertEquals("M_INVALID_PARAM", errcodeOf("{\"event_format\": \"raw\"}"));
        assertEquals("M_INVALID_PARAM", errcodeOf("{\"room\": {\"rooms\": [\"#alias:x\"]}}"));
        assertEquals("M_INVALID_PARAM", errcodeOf("{\"presence\": {\"senders\": [\"alice\"]}}"));
        FilterException nested = assertThrows(FilterException.class,
                () -> filter("{\"room\": {\"state\": {\"not_rooms\": [\"nope\"]}}}"));
        assertTrue(nested.getMessage().contains("room.state.not_rooms"), nested.getMessage());
        assertEquals(400, nested.httpStatus());
    }

    @Test
    void typeWildcardsMatchAnySequenceAndExclusionsWin() throws Exception {
        EventFilter types = filter("{\"account_data\": {\"types\": [\"m.*\", \"org.*.x\"], \"not_types\": [\"m.tag\"]}}")
                .accountData();
        assertTrue(types.matchesType("m.direct"));
        assertTrue(types.matchesType("org.example.x"));
        assertTrue(types.matchesType("org..x"));
        assertFalse(types.matchesType("m.tag"));
        assertFalse(types.matchesType("org.example.y"));
        assertFalse(types.matchesType("M.direct"), "event types are case-sensitive");
        assertTrue(EventFilter.wildcardMatches("*", ""));
        assertTrue(EventFilter.wildcardMatches("a*b*c", "aXbYbZc"));
        assertFalse(EventFilter.wildcardMatches("a*b*c", "aXbYbZ"));
    }

    @Test
    void sendersAndNotSendersFilterAndNotSendersWin() throws Exception {
        EventFilter senders = filter("{\"presence\": {\"senders\": [\"@a:x\", \"@b:x\"], \"not_senders\": [\"@b:x\"]}}")
                .presence();
        assertTrue(senders.matches(event("m.presence", "@a:x")));
        assertFalse(senders.matches(event("m.presence", "@b:x")));
        assertFalse(senders.matches(event("m.presence", "@c:x")));
        assertTrue(senders.matches(JSON.createObjectNode().put("type", "m.direct")),
                "events without a sender are not judged by sender");
    }

    @Test
    void containsUrlKeepsOrDropsEventsWithAUrl() throws Exception {
        ObjectNode image = event("m.room.message", "@a:x");
        ((ObjectNode) image.get("content")).put("url", "mxc://x/y");
        ObjectNode text = event("m.room.message", "@a:x");
        RoomEventFilter withUrl = filter("{\"room\": {\"timeline\": {\"contains_url\": true}}}").room().timeline();
        RoomEventFilter withoutUrl = filter("{\"room\": {\"timeline\": {\"contains_url\": false}}}").room().timeline();
        assertTrue(withUrl.matches(image, ROOM));
        assertFalse(withUrl.matches(text, ROOM));
        assertFalse(withoutUrl.matches(image, ROOM));
        assertTrue(withoutUrl.matches(text, ROOM));
        assertTrue(RoomEventFilter.ALL.matches(image, ROOM) && RoomEventFilter.ALL.matches(text, ROOM));
    }

    @Test
    void roomFilterAppliesRoomsAndNotRoomsAndReadsItsSwitches() throws Exception {
        Filter parsed = filter("{\"room\": {\"rooms\": [\"!a:x\", \"!b:x\"], \"not_rooms\": [\"!b:x\"], \"include_leave\": true,"
                + " \"timeline\": {\"lazy_load_members\": true, \"unread_thread_notifications\": true},"
                + " \"state\": {\"include_redundant_members\": true}}}");
        assertTrue(parsed.room().includesRoom("!a:x"));
        assertFalse(parsed.room().includesRoom("!b:x"));
        assertFalse(parsed.room().includesRoom("!c:x"));
        assertTrue(parsed.room().includeLeave());
        assertTrue(parsed.room().timeline().lazyLoadMembers());
        assertTrue(parsed.room().timeline().unreadThreadNotifications());
        assertFalse(parsed.room().state().sendsRedundantMembers(), "redundant members need lazy loading");
        assertFalse(Filter.DEFAULT.room().includeLeave());
    }

    @Test
    void limitKeepsTheLatestMatchingEvents() throws Exception {
        RoomEventFilter timeline = filter("{\"room\": {\"timeline\": {\"limit\": 2, \"not_types\": [\"m.reaction\"]}}}")
                .room().timeline();
        List<ObjectNode> events = List.of(event("m.room.message", "@a:x").put("n", 1), event("m.room.message", "@a:x").put("n", 2),
                event("m.room.message", "@a:x").put("n", 3), event("m.reaction", "@a:x").put("n", 4));
        assertEquals(List.of(2, 3), timeline.filterKeepingLatest(events, ROOM).stream().map(e -> e.get("n").asInt()).toList());
        assertEquals(2, timeline.events().effectiveLimit(10, 100));
        assertEquals(10, EventFilter.ALL.effectiveLimit(10, 100));
        assertEquals(5, filter("{\"room\": {\"timeline\": {\"limit\": 100000}}}").room().timeline().events().effectiveLimit(10, 5));
    }

    @Test
    void eventFieldsKeepOnlyTheListedPaths() throws Exception {
        Filter parsed = filter("{\"event_fields\": [\"type\", \"content.body\", \"content.m\\\\.relates_to\", \"unsigned.nope\"]}");
        ObjectNode event = (ObjectNode) JSON.readTree("{\"type\":\"m.room.message\",\"sender\":\"@a:x\","
                + "\"content\":{\"body\":\"hi\",\"msgtype\":\"m.text\",\"m.relates_to\":{\"rel_type\":\"m.thread\"}}}");
        assertEquals(JSON.readTree("{\"type\":\"m.room.message\",\"content\":{\"body\":\"hi\","
                + "\"m.relates_to\":{\"rel_type\":\"m.thread\"}}}"), parsed.project(event));
        assertEquals(event, Filter.DEFAULT.project(event));
    }

    @Test
    void federationEventFormatIsRead() throws Exception {
        assertEquals(Filter.EventFormat.FEDERATION, filter("{\"event_format\": \"federation\"}").eventFormat());
    }

    @Test
    void lazyLoadingKeepsOnlyMembersOfSendersAndTheUserAndSkipsRedundantOnes() throws Exception {
        ObjectNode name = (ObjectNode) JSON.readTree("{\"type\":\"m.room.name\",\"state_key\":\"\",\"event_id\":\"$n\"}");
        ObjectNode alice = (ObjectNode) JSON.readTree("{\"type\":\"m.room.member\",\"state_key\":\"@alice:x\",\"event_id\":\"$a\"}");
        ObjectNode bob = (ObjectNode) JSON.readTree("{\"type\":\"m.room.member\",\"state_key\":\"@bob:x\",\"event_id\":\"$b\"}");
        ObjectNode carol = (ObjectNode) JSON.readTree("{\"type\":\"m.room.member\",\"state_key\":\"@carol:x\",\"event_id\":\"$c\"}");
        List<ObjectNode> state = List.of(name, alice, bob, carol);
        List<ObjectNode> timeline = List.of(event("m.room.message", "@bob:x"));

        RoomEventFilter lazy = filter("{\"room\": {\"state\": {\"lazy_load_members\": true}}}").room().state();
        assertEquals(List.of(name, alice, bob), LazyLoadedMembers.selectState(lazy, state, timeline, "@alice:x", Set.of()));
        assertEquals(List.of(name, alice), LazyLoadedMembers.selectState(lazy, state, timeline, "@alice:x", Set.of("$b")));
        RoomEventFilter redundant = filter("{\"room\": {\"state\": {\"lazy_load_members\": true,"
                + " \"include_redundant_members\": true}}}").room().state();
        assertEquals(List.of(name, alice, bob), LazyLoadedMembers.selectState(redundant, state, timeline, "@alice:x", Set.of("$b")));
        assertEquals(state, LazyLoadedMembers.selectState(RoomEventFilter.ALL, state, timeline, "@alice:x", Set.of()));
    }
}
