package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.store.QueuedItem;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToDeviceMessagesTest extends E2eeFixture {
    private static ObjectNode content(int n) {
        return JSON.objectNode().put("n", n);
    }

    private static List<String> contents(ToDeviceBatch batch) {
        return batch.events().stream().map(e -> e.get("content").toString()).toList();
    }

    @Test
    void messageToOneDeviceReachesOnlyThatDevice() {
        createUser(ALICE, "PHONE", "LAPTOP");
        ObjectNode messages = JSON.objectNode();
        messages.putObject(ALICE).set("PHONE", content(1));
        e2ee.toDeviceMessages().send(BOB, "m.test", messages).join();

        ToDeviceBatch phone = e2ee.toDeviceMessages().pending(ALICE, "PHONE", 0, 100);
        assertEquals(1, phone.events().size());
        ObjectNode event = phone.events().get(0);
        assertEquals(BOB, event.path("sender").asText());
        assertEquals("m.test", event.path("type").asText());
        assertJson(content(1), event.get("content"));
        assertEquals(List.of(), e2ee.toDeviceMessages().pending(ALICE, "LAPTOP", 0, 100).events());
        assertEquals(List.of("to-device " + ALICE + " PHONE " + phone.nextPosition()), events);
    }

    @Test
    void starAddressesEveryDeviceOfTheUserAndAnExplicitDeviceKeepsItsOwnContent() {
        createUser(ALICE, "PHONE", "LAPTOP", "TABLET");
        ObjectNode messages = JSON.objectNode();
        ObjectNode alice = messages.putObject(ALICE);
        alice.set("*", content(0));
        alice.set("TABLET", content(7));
        e2ee.toDeviceMessages().send(BOB, "m.test", messages).join();

        assertJson(content(0), e2ee.toDeviceMessages().pending(ALICE, "PHONE", 0, 100).events().get(0).get("content"));
        assertJson(content(0), e2ee.toDeviceMessages().pending(ALICE, "LAPTOP", 0, 100).events().get(0).get("content"));
        assertEquals(List.of("{\"n\":7}"), contents(e2ee.toDeviceMessages().pending(ALICE, "TABLET", 0, 100)));
    }

    @Test
    void inboxIsReadInOrderInBatchesAndAcknowledgedMessagesAreDeleted() {
        createUser(ALICE, "PHONE");
        for (int i = 1; i <= 3; i++) {
            ObjectNode messages = JSON.objectNode();
            messages.putObject(ALICE).set("PHONE", content(i));
            e2ee.toDeviceMessages().send(BOB, "m.test", messages).join();
        }
        ToDeviceBatch first = e2ee.toDeviceMessages().pending(ALICE, "PHONE", 0, 2);
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), contents(first));

        ToDeviceBatch second = e2ee.toDeviceMessages().pending(ALICE, "PHONE", first.nextPosition(), 2);
        assertEquals(List.of("{\"n\":3}"), contents(second));

        assertEquals(2, e2ee.toDeviceMessages().acknowledge(ALICE, "PHONE", first.nextPosition()).join());
        assertEquals(1, e2ee.toDeviceMessages().pending(ALICE, "PHONE", 0, 100).events().size());
        ToDeviceBatch empty = e2ee.toDeviceMessages().pending(ALICE, "PHONE", second.nextPosition(), 100);
        assertEquals(List.of(), empty.events());
        assertEquals(second.nextPosition(), empty.nextPosition());
    }

    @Test
    void messagesSurviveARestartOfTheStore() {
        createUser(ALICE, "PHONE");
        ObjectNode messages = JSON.objectNode();
        messages.putObject(ALICE).set("PHONE", content(1));
        e2ee.toDeviceMessages().send(BOB, "m.test", messages).join();
        store.close();
        openStore();
        assertEquals(1, e2ee.toDeviceMessages().pending(ALICE, "PHONE", 0, 100).events().size());
    }

    @Test
    void messageForARemoteUserIsQueuedAsADirectToDeviceEdu() {
        createUser(ALICE, "PHONE");
        ObjectNode messages = JSON.objectNode();
        messages.putObject(REMOTE).set("DEV", content(5));
        messages.putObject(ALICE).set("PHONE", content(6));
        e2ee.toDeviceMessages().send(ALICE, "m.room_key_request", messages).join();

        List<QueuedItem> queued = store.read(tx -> tx.federationQueue().pending("remote.example", 10));
        assertEquals(1, queued.size());
        assertEquals(QueuedItem.Kind.EDU, queued.get(0).kind());
        ObjectNode edu = CanonicalJson.parseObject(queued.get(0).json());
        assertEquals("m.direct_to_device", edu.path("edu_type").asText());
        assertEquals(ALICE, edu.path("content").path("sender").asText());
        assertEquals("m.room_key_request", edu.path("content").path("type").asText());
        assertTrue(edu.path("content").path("message_id").asText().length() >= 16);
        assertJson(content(5), edu.path("content").path("messages").path(REMOTE).path("DEV"));
        assertEquals(1, e2ee.toDeviceMessages().pending(ALICE, "PHONE", 0, 100).events().size());
    }

    @Test
    void directToDeviceEduFromFederationIsDeliveredOnlyWhenTheSenderBelongsToTheOrigin() {
        createUser(ALICE, "PHONE");
        ObjectNode edu = JSON.objectNode();
        edu.put("sender", REMOTE).put("type", "m.test").put("message_id", "abc");
        edu.putObject("messages").putObject(ALICE).set("*", content(9));

        failsWith("M_FORBIDDEN", e2ee.toDeviceMessages().receiveFromFederation("other.example", edu));
        e2ee.toDeviceMessages().receiveFromFederation("remote.example", edu).join();
        assertJson(content(9), e2ee.toDeviceMessages().pending(ALICE, "PHONE", 0, 100).events().get(0).get("content"));
    }

    @Test
    void unknownLocalDevicesAreSkippedAndMalformedContentRefused() {
        createUser(ALICE, "PHONE");
        ObjectNode messages = JSON.objectNode();
        messages.putObject(ALICE).set("GONE", content(1));
        e2ee.toDeviceMessages().send(BOB, "m.test", messages).join();
        assertEquals(0L, e2ee.toDeviceMessages().currentPosition());

        ObjectNode bad = JSON.objectNode();
        bad.putObject(ALICE).put("PHONE", "not an object");
        failsWith("M_BAD_JSON", e2ee.toDeviceMessages().send(BOB, "m.test", bad));
    }
}
