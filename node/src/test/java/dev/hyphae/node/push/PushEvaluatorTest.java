package dev.hyphae.node.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PushEvaluatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "@alice:example.onion";
    private static final String BOB = "@bob:example.onion";
    private static final String ROOM = "!room:example.onion";

    private final PushEvaluator evaluator = new PushEvaluator();
    private final PushRuleSet defaults = new PushRuleSet(Map.of(
            PushRuleKind.OVERRIDE, DefaultPushRules.override(ALICE),
            PushRuleKind.UNDERRIDE, DefaultPushRules.underride(ALICE)));

    private static RoomPushContext room(long members, long senderLevel) {
        return new RoomPushContext(members, Optional.of("Alice"), senderLevel, Map.of());
    }

    private static ObjectNode event(String json) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(json);
        event.put("room_id", ROOM);
        if (!event.has("sender")) {
            event.put("sender", BOB);
        }
        return event;
    }

    private PushEvaluation evaluate(String json, RoomPushContext room) throws Exception {
        return evaluator.evaluate(defaults, ALICE, event(json), room);
    }

    private static String ruleOf(PushEvaluation evaluation) {
        return evaluation.matchedRule().map(PushRule::ruleId).orElse("none");
    }

    @Test
    void defaultRulesAreTheSpecsInTheSpecsOrder() {
        assertEquals(List.of(".m.rule.master", ".m.rule.suppress_notices", ".m.rule.invite_for_me",
                        ".m.rule.member_event", ".m.rule.is_user_mention", ".m.rule.is_room_mention",
                        ".m.rule.tombstone", ".m.rule.reaction", ".m.rule.room.server_acl", ".m.rule.suppress_edits"),
                DefaultPushRules.override(ALICE).stream().map(PushRule::ruleId).toList());
        assertEquals(List.of(".m.rule.call", ".m.rule.encrypted_room_one_to_one", ".m.rule.room_one_to_one",
                        ".m.rule.message", ".m.rule.encrypted"),
                DefaultPushRules.underride(ALICE).stream().map(PushRule::ruleId).toList());
        assertFalse(DefaultPushRules.override(ALICE).get(0).enabled(), "the master rule is disabled by default");
    }

    @Test
    void plainMessageInAGroupNotifiesWithoutHighlight() throws Exception {
        PushEvaluation result = evaluate("{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"hi\"}}",
                room(5, 0));
        assertEquals(".m.rule.message", ruleOf(result));
        assertTrue(result.notifies());
        assertFalse(result.highlight());
    }

    @Test
    void oneToOneMessagesAndEncryptedEventsPlayTheDefaultSound() throws Exception {
        PushEvaluation dm = evaluate("{\"type\":\"m.room.message\",\"content\":{\"body\":\"hi\"}}", room(2, 0));
        assertEquals(".m.rule.room_one_to_one", ruleOf(dm));
        assertEquals(Optional.of("default"), dm.sound());
        assertEquals(".m.rule.encrypted_room_one_to_one",
                ruleOf(evaluate("{\"type\":\"m.room.encrypted\",\"content\":{}}", room(2, 0))));
        assertEquals(".m.rule.encrypted", ruleOf(evaluate("{\"type\":\"m.room.encrypted\",\"content\":{}}", room(3, 0))));
        assertEquals(Optional.of("ring"), evaluate("{\"type\":\"m.call.invite\",\"content\":{}}", room(3, 0)).sound());
    }

    @Test
    void userMentionHighlights() throws Exception {
        PushEvaluation result = evaluate("{\"type\":\"m.room.message\",\"content\":{\"body\":\"hey\","
                + "\"m.mentions\":{\"user_ids\":[\"@carol:x\",\"" + ALICE + "\"]}}}", room(5, 0));
        assertEquals(".m.rule.is_user_mention", ruleOf(result));
        assertTrue(result.notifies());
        assertTrue(result.highlight());
    }

    @Test
    void roomMentionHighlightsOnlyWhenTheSenderHasTheNotificationPowerLevel() throws Exception {
        String mention = "{\"type\":\"m.room.message\",\"content\":{\"body\":\"all\",\"m.mentions\":{\"room\":true}}}";
        assertEquals(".m.rule.is_room_mention", ruleOf(evaluate(mention, room(5, 50))));
        assertEquals(".m.rule.message", ruleOf(evaluate(mention, room(5, 49))));
        RoomPushContext lowered = new RoomPushContext(5, Optional.empty(), 10,
                RoomPushContext.notificationLevels((ObjectNode) JSON.readTree("{\"notifications\":{\"room\":10}}")));
        assertEquals(".m.rule.is_room_mention", ruleOf(evaluator.evaluate(defaults, ALICE, event(mention), lowered)));
        String stringTrue = "{\"type\":\"m.room.message\",\"content\":{\"body\":\"all\",\"m.mentions\":{\"room\":\"true\"}}}";
        assertEquals(".m.rule.message", ruleOf(evaluate(stringTrue, room(5, 100))), "a string is not the boolean true");
    }

    @Test
    void noticesEditsReactionsAndMemberEventsDoNotNotify() throws Exception {
        assertEquals(".m.rule.suppress_notices", ruleOf(evaluate(
                "{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.notice\",\"body\":\"bot\"}}", room(2, 0))));
        PushEvaluation edit = evaluate("{\"type\":\"m.room.message\",\"content\":{\"body\":\"* fixed\","
                + "\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"$x\"}}}", room(5, 0));
        assertEquals(".m.rule.suppress_edits", ruleOf(edit));
        assertFalse(edit.notifies());
        assertFalse(evaluate("{\"type\":\"m.reaction\",\"content\":{}}", room(2, 0)).notifies());
        assertEquals(".m.rule.member_event", ruleOf(evaluate(
                "{\"type\":\"m.room.member\",\"state_key\":\"" + BOB + "\",\"content\":{\"membership\":\"join\"}}", room(2, 0))));
        assertEquals(".m.rule.room.server_acl", ruleOf(evaluate(
                "{\"type\":\"m.room.server_acl\",\"state_key\":\"\",\"content\":{}}", room(2, 0))));
    }

    @Test
    void inviteForTheUserNotifiesButAnInviteForSomeoneElseDoesNot() throws Exception {
        PushEvaluation mine = evaluate("{\"type\":\"m.room.member\",\"state_key\":\"" + ALICE
                + "\",\"content\":{\"membership\":\"invite\"}}", room(2, 0));
        assertEquals(".m.rule.invite_for_me", ruleOf(mine));
        assertTrue(mine.notifies());
        assertFalse(evaluate("{\"type\":\"m.room.member\",\"state_key\":\"@carol:x\","
                + "\"content\":{\"membership\":\"invite\"}}", room(2, 0)).notifies());
    }

    @Test
    void tombstoneHighlightsOnlyAsAStateEvent() throws Exception {
        assertTrue(evaluate("{\"type\":\"m.room.tombstone\",\"state_key\":\"\",\"content\":{}}", room(5, 0)).highlight());
        assertEquals("none", ruleOf(evaluate("{\"type\":\"m.room.tombstone\",\"content\":{}}", room(5, 0))));
    }

    @Test
    void theUsersOwnEventsNeverNotify() throws Exception {
        assertEquals(PushEvaluation.NONE, evaluate("{\"type\":\"m.room.message\",\"sender\":\"" + ALICE
                + "\",\"content\":{\"body\":\"mine\"}}", room(2, 0)));
    }

    @Test
    void enabledMasterRuleSilencesEverything() throws Exception {
        List<PushRule> overrides = DefaultPushRules.override(ALICE).stream()
                .map(rule -> rule.ruleId().equals(".m.rule.master") ? rule.withEnabled(true) : rule).toList();
        PushRuleSet muted = new PushRuleSet(Map.of(PushRuleKind.OVERRIDE, overrides,
                PushRuleKind.UNDERRIDE, DefaultPushRules.underride(ALICE)));
        PushEvaluation result = evaluator.evaluate(muted, ALICE, event(
                "{\"type\":\"m.room.message\",\"content\":{\"m.mentions\":{\"user_ids\":[\"" + ALICE + "\"]}}}"), room(2, 0));
        assertEquals(".m.rule.master", ruleOf(result));
        assertFalse(result.notifies());
    }

    @Test
    void conditionsOfEachKindHoldAsTheSpecSays() throws Exception {
        ObjectNode topic = event("{\"type\":\"m.room.topic\",\"state_key\":\"\",\"content\":{\"topic\":\"Lunch plans\","
                + "\"m.federate\":true,\"n\":1,\"nothing\":null,\"alt_aliases\":[\"#a:x\",\"#myroom:example.com\",{}]}}");
        RoomPushContext room = room(10, 0);
        assertTrue(evaluator.holds(cond("{\"kind\":\"event_match\",\"key\":\"content.topic\",\"pattern\":\"lunc?*\"}"), topic, room));
        assertFalse(evaluator.holds(cond("{\"kind\":\"event_match\",\"key\":\"content.n\",\"pattern\":\"*\"}"), topic, room),
                "event_match needs a string value");
        assertFalse(evaluator.holds(cond("{\"kind\":\"event_match\",\"key\":\"content.absent\",\"pattern\":\"*\"}"), topic, room));
        assertTrue(evaluator.holds(cond("{\"kind\":\"event_property_is\",\"key\":\"content.m\\\\.federate\",\"value\":true}"), topic, room));
        assertFalse(evaluator.holds(cond("{\"kind\":\"event_property_is\",\"key\":\"content.m\\\\.federate\",\"value\":\"true\"}"), topic, room));
        assertFalse(evaluator.holds(cond("{\"kind\":\"event_property_is\",\"key\":\"content.m\\\\.federate\",\"value\":1}"), topic, room));
        assertTrue(evaluator.holds(cond("{\"kind\":\"event_property_is\",\"key\":\"content.n\",\"value\":1}"), topic, room));
        assertTrue(evaluator.holds(cond("{\"kind\":\"event_property_is\",\"key\":\"content.nothing\",\"value\":null}"), topic, room));
        assertTrue(evaluator.holds(cond("{\"kind\":\"event_property_contains\",\"key\":\"content.alt_aliases\","
                + "\"value\":\"#myroom:example.com\"}"), topic, room));
        assertFalse(evaluator.holds(cond("{\"kind\":\"event_property_contains\",\"key\":\"content.alt_aliases\","
                + "\"value\":\":example.com\"}"), topic, room));
        assertFalse(evaluator.holds(cond("{\"kind\":\"event_property_contains\",\"key\":\"content.topic\","
                + "\"value\":\"Lunch plans\"}"), topic, room), "not an array");
        assertTrue(evaluator.holds(cond("{\"kind\":\"room_member_count\",\"is\":\"<=10\"}"), topic, room));
        assertTrue(evaluator.holds(cond("{\"kind\":\"room_member_count\",\"is\":\"10\"}"), topic, room));
        assertFalse(evaluator.holds(cond("{\"kind\":\"room_member_count\",\"is\":\">10\"}"), topic, room));
        assertTrue(evaluator.holds(cond("{\"kind\":\"room_member_count\",\"is\":\">=10\"}"), topic, room));
        assertFalse(evaluator.holds(cond("{\"kind\":\"room_member_count\",\"is\":\"<10\"}"), topic, room));
        assertFalse(evaluator.holds(cond("{\"kind\":\"room_member_count\",\"is\":\"ten\"}"), topic, room));
        assertFalse(evaluator.holds(cond("{\"kind\":\"org.example.future\",\"x\":1}"), topic, room),
                "unknown conditions never match");
    }

    @Test
    void containsDisplayNameLooksForTheNameAsAWordInTheBody() throws Exception {
        PushCondition condition = cond("{\"kind\":\"contains_display_name\"}");
        RoomPushContext room = room(5, 0);
        assertTrue(evaluator.holds(condition, event("{\"type\":\"m.room.message\",\"content\":{\"body\":\"hi alice!\"}}"), room));
        assertFalse(evaluator.holds(condition, event("{\"type\":\"m.room.message\",\"content\":{\"body\":\"hi alicex\"}}"), room));
        assertFalse(evaluator.holds(condition, event("{\"type\":\"m.room.message\",\"content\":{\"body\":\"hi alice\"}}"),
                new RoomPushContext(5, Optional.empty(), 0, Map.of())));
    }

    @Test
    void userRulesOfEachKindMatchTheirRoomSenderOrPattern() throws Exception {
        ObjectNode message = event("{\"type\":\"m.room.message\",\"content\":{\"body\":\"time for tea\"}}");
        RoomPushContext room = room(5, 0);
        List<JsonNode> none = List.of();
        assertTrue(evaluator.matches(new PushRule(PushRuleKind.ROOM, ROOM, false, true, List.of(), Optional.empty(), none), message, room));
        assertFalse(evaluator.matches(new PushRule(PushRuleKind.ROOM, "!other:x", false, true, List.of(), Optional.empty(), none), message, room));
        assertTrue(evaluator.matches(new PushRule(PushRuleKind.SENDER, BOB, false, true, List.of(), Optional.empty(), none), message, room));
        assertTrue(evaluator.matches(new PushRule(PushRuleKind.CONTENT, "tea", false, true, List.of(), Optional.of("TEA"), none), message, room));
        assertFalse(evaluator.matches(new PushRule(PushRuleKind.CONTENT, "te", false, true, List.of(), Optional.of("te"), none), message, room));
    }

    private static PushCondition cond(String json) throws Exception {
        return PushCondition.fromJson(JSON.readTree(json));
    }
}
