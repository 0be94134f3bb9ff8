package dev.hyphae.node.push;

import dev.hyphae.node.accountdata.AccountDataListener;
import dev.hyphae.node.accountdata.AccountDataService;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.Account;
import dev.hyphae.store.Store;
import dev.hyphae.store.sqlite.SqliteStore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class PushRulesServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UserId ALICE = UserId.parse("@alice:example.onion");

    @TempDir
    Path directory;
    private Store store;
    private AccountDataService accountData;
    private PushRulesService service;

    @BeforeEach
    void open() {
        store = SqliteStore.openInDirectory(directory);
        store.write(tx -> tx.accounts().create(new Account(ALICE.toString(), null, 1L, false, false))).join();
        accountData = new AccountDataService(store, AccountDataListener.NONE);
        service = new PushRulesService(store, accountData);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    private List<String> ruleIds(PushRuleKind kind) {
        return service.rulesFor(ALICE).rules(kind).stream().map(PushRule::ruleId).toList();
    }

    private static PushRulesException refusal(Executable call) {
        try {
            call.execute();
        } catch (PushRulesException e) {
            return e;
        } catch (CompletionException e) {
            return assertInstanceOf(PushRulesException.class, e.getCause());
        } catch (Throwable e) {
            fail("expected a push rules refusal, got " + e);
        }
        return fail("expected a push rules refusal");
    }

    @Test
    void newUserGetsTheDefaultRulesetWithEveryKind() {
        ObjectNode global = (ObjectNode) service.rulesFor(ALICE).toJson().get("global");
        assertEquals(List.of("override", "content", "room", "sender", "underride"),
                names(global.fieldNames()));
        assertEquals(10, global.get("override").size());
        assertEquals(5, global.get("underride").size());
        assertTrue(global.get("override").get(0).get("default").asBoolean());
    }

    @Test
    void newRulesGoFirstAndBeforeAndAfterPlaceThemNextToAUserRule() throws Exception {
        service.putRule(ALICE, "content", "cake", json("{\"pattern\":\"cake\",\"actions\":[\"notify\"]}"), null, null).join();
        service.putRule(ALICE, "content", "pie", json("{\"pattern\":\"pie\",\"actions\":[\"notify\"]}"), null, null).join();
        assertEquals(List.of("pie", "cake"), ruleIds(PushRuleKind.CONTENT));
        service.putRule(ALICE, "content", "lie", json("{\"pattern\":\"cake*lie\",\"actions\":[]}"), "cake", null).join();
        assertEquals(List.of("pie", "lie", "cake"), ruleIds(PushRuleKind.CONTENT));
        service.putRule(ALICE, "content", "tea", json("{\"pattern\":\"tea\",\"actions\":[]}"), null, "cake").join();
        assertEquals(List.of("pie", "lie", "cake", "tea"), ruleIds(PushRuleKind.CONTENT));
        service.putRule(ALICE, "content", "pie", json("{\"pattern\":\"pies\",\"actions\":[]}"), null, "lie").join();
        assertEquals(List.of("lie", "pie", "cake", "tea"), ruleIds(PushRuleKind.CONTENT));
        service.putRule(ALICE, "content", "cake", json("{\"pattern\":\"cakes\",\"actions\":[]}"), null, null).join();
        assertEquals(List.of("lie", "pie", "cake", "tea"), ruleIds(PushRuleKind.CONTENT), "an update stays in place");
        assertEquals("cakes", service.getRule(ALICE, "content", "cake").pattern().orElseThrow());
        service.putRule(ALICE, "content", "new", json("{\"pattern\":\"n\",\"actions\":[]}"), "cake", "lie").join();
        assertEquals(List.of("lie", "pie", "new", "cake", "tea"), ruleIds(PushRuleKind.CONTENT), "before wins over after");
    }

    @Test
    void userOverridesComeAfterTheMasterRuleAndBeforeOtherDefaults() throws Exception {
        service.putRule(ALICE, "override", "beer", json("{\"conditions\":[{\"kind\":\"event_match\","
                + "\"key\":\"content.body\",\"pattern\":\"beer\"},{\"kind\":\"room_member_count\",\"is\":\"<=10\"}],"
                + "\"actions\":[\"notify\",{\"set_tweak\":\"sound\",\"value\":\"beeroclock.wav\"}]}"), null, null).join();
        List<String> ids = ruleIds(PushRuleKind.OVERRIDE);
        assertEquals(List.of(".m.rule.master", "beer", ".m.rule.suppress_notices"), ids.subList(0, 3));
        PushRule beer = service.getRule(ALICE, "override", "beer");
        assertEquals(2, beer.conditions().size());
        assertTrue(beer.enabled(), "new rules are enabled");
        assertFalse(beer.isDefault());
    }

    @Test
    void badRequestsAreRefusedWithTheSpecsErrors() throws Exception {
        ObjectNode ok = json("{\"actions\":[\"notify\"]}");
        assertEquals("M_INVALID_PARAM", refusal(() -> service.putRule(ALICE, "global", "x", ok, null, null)).errcode());
        assertEquals("M_INVALID_PARAM", refusal(() -> service.putRule(ALICE, "override", ".mine", ok, null, null)).errcode());
        assertEquals("M_INVALID_PARAM", refusal(() -> service.putRule(ALICE, "override", "a/b", ok, null, null)).errcode());
        assertEquals("M_INVALID_PARAM", refusal(() -> service.putRule(ALICE, "room", "not-a-room", ok, null, null)).errcode());
        assertEquals("M_INVALID_PARAM", refusal(() -> service.putRule(ALICE, "sender", "!room:x", ok, null, null)).errcode());
        assertEquals("M_MISSING_PARAM", refusal(() -> service.putRule(ALICE, "override", "x", json("{}"), null, null)).errcode());
        assertEquals("M_MISSING_PARAM", refusal(() -> service.putRule(ALICE, "content", "x", ok, null, null)).errcode());
        assertEquals("M_BAD_JSON", refusal(() -> service.putRule(ALICE, "override", "x",
                json("{\"actions\":\"notify\"}"), null, null)).errcode());
        assertEquals("M_BAD_JSON", refusal(() -> service.putRule(ALICE, "override", "x",
                json("{\"actions\":[\"explode\"]}"), null, null)).errcode());
        assertEquals("M_BAD_JSON", refusal(() -> service.putRule(ALICE, "override", "x",
                json("{\"actions\":[],\"conditions\":[{\"key\":\"type\"}]}"), null, null)).errcode());
        PushRulesException missingAnchor = refusal(() -> service.putRule(ALICE, "override", "x", ok, "nope", null).join());
        assertEquals("M_UNKNOWN", missingAnchor.errcode());
        assertEquals(400, missingAnchor.httpStatus());
        assertEquals("M_UNKNOWN", refusal(() -> service.putRule(ALICE, "override", "x", ok, ".m.rule.master", null)).errcode());
        assertEquals(List.of(), ruleIds(PushRuleKind.OVERRIDE).stream().filter(id -> !id.startsWith(".")).toList(),
                "a refused rule is not stored");
    }

    @Test
    void rulesForARoomAndASenderAreNamedByThem() throws Exception {
        service.putRule(ALICE, "room", "!dj234r78wl45Gh4D:matrix.org", json("{\"actions\":[]}"), null, null).join();
        service.putRule(ALICE, "sender", "@spambot:matrix.org", json("{\"actions\":[\"dont_notify\"]}"), null, null).join();
        assertEquals(List.of("!dj234r78wl45Gh4D:matrix.org"), ruleIds(PushRuleKind.ROOM));
        assertEquals(List.of(), service.getRule(ALICE, "sender", "@spambot:matrix.org").actions(),
                "historical actions are dropped");
    }

    @Test
    void deleteRemovesUserRulesAndRefusesDefaultOrMissingOnes() throws Exception {
        service.putRule(ALICE, "underride", "x", json("{\"actions\":[]}"), null, null).join();
        service.deleteRule(ALICE, "underride", "x").join();
        assertEquals(5, ruleIds(PushRuleKind.UNDERRIDE).size());
        assertEquals("M_NOT_FOUND", refusal(() -> service.deleteRule(ALICE, "underride", "x").join()).errcode());
        assertEquals("M_INVALID_PARAM", refusal(() -> service.deleteRule(ALICE, "underride", ".m.rule.message")).errcode());
        assertEquals("M_NOT_FOUND", refusal(() -> service.getRule(ALICE, "underride", "x")).errcode());
    }

    @Test
    void defaultRulesCanBeDisabledAndGivenNewActions() throws Exception {
        service.setEnabled(ALICE, "override", ".m.rule.master", true).join();
        assertTrue(service.getRule(ALICE, "override", ".m.rule.master").enabled());
        service.setActions(ALICE, "underride", ".m.rule.message", JSON.readTree("[\"notify\",{\"set_tweak\":\"highlight\"}]")).join();
        PushRule message = service.getRule(ALICE, "underride", ".m.rule.message");
        assertEquals(JSON.readTree("[\"notify\",{\"set_tweak\":\"highlight\"}]"), message.actionsJson());
        assertTrue(message.isDefault());
        assertTrue(message.enabled());
        service.setEnabled(ALICE, "underride", ".m.rule.message", false).join();
        PushRule disabled = service.getRule(ALICE, "underride", ".m.rule.message");
        assertFalse(disabled.enabled());
        assertEquals(message.actions(), disabled.actions(), "disabling keeps changed actions");
        assertEquals("M_NOT_FOUND", refusal(() -> service.setEnabled(ALICE, "override", ".m.rule.nope", false).join()).errcode());
        assertEquals("M_NOT_FOUND", refusal(() -> service.setEnabled(ALICE, "content", ".m.rule.master", false).join()).errcode());
        assertEquals("M_BAD_JSON", refusal(() -> service.setActions(ALICE, "override", ".m.rule.master", JSON.readTree("{}"))).errcode());
    }

    @Test
    void userRulesCanBeDisabledAndKeepTheirPlaceWhenChanged() throws Exception {
        service.putRule(ALICE, "content", "a", json("{\"pattern\":\"a\",\"actions\":[]}"), null, null).join();
        service.putRule(ALICE, "content", "b", json("{\"pattern\":\"b\",\"actions\":[]}"), null, null).join();
        service.setEnabled(ALICE, "content", "a", false).join();
        service.setActions(ALICE, "content", "a", JSON.readTree("[\"notify\"]")).join();
        PushRule a = service.getRule(ALICE, "content", "a");
        assertFalse(a.enabled());
        assertEquals("a", a.pattern().orElseThrow());
        assertEquals(List.of("b", "a"), ruleIds(PushRuleKind.CONTENT));
    }

    @Test
    void everyChangeWritesTheWholeRulesetAsPushRulesAccountData() throws Exception {
        long before = accountData.currentPosition();
        service.setEnabled(ALICE, "override", ".m.rule.master", true).join();
        var changes = accountData.changesSince(ALICE, before);
        assertEquals(1, changes.global().size());
        ObjectNode event = changes.global().get(0);
        assertEquals("m.push_rules", event.get("type").asText());
        assertEquals(service.rulesFor(ALICE).toJson(), event.get("content"));
        assertTrue(event.get("content").get("global").get("override").get(0).get("enabled").asBoolean());
    }

    @Test
    void publishingWritesTheDefaultRulesetForANewAccount() {
        store.write(tx -> service.publishInTransaction(tx, ALICE.toString())).join();
        assertEquals(service.rulesFor(ALICE).toJson(), accountData.getGlobal(ALICE, "m.push_rules"));
    }

    private static <T> List<T> names(java.util.Iterator<T> iterator) {
        List<T> list = new java.util.ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }
}
