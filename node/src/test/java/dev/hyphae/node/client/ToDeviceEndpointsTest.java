package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.e2ee.ToDeviceBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToDeviceEndpointsTest {
    private static final String SEND = "/_matrix/client/v3/sendToDevice/";

    @TempDir
    Path dataDir;

    private TestNode node;
    private E2eeUser alice;
    private E2eeUser bob;

    @BeforeEach
    void start() {
        node = new TestNode(dataDir, false);
        alice = E2eeUser.create(node, "alice", "pw");
        bob = E2eeUser.create(node, "bob", "pw2");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private String messageTo(E2eeUser recipient, String deviceId, String text) {
        ObjectNode body = E2eeUser.JSON.objectNode();
        body.putObject("messages").putObject(recipient.userId()).putObject(deviceId).put("text", text);
        return TestNode.json(body);
    }

    private TestNode.Reply send(String path, String body, String token) {
        TestNode.Reply reply = node.send("PUT", path, body, token);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply;
    }

    private ToDeviceBatch inbox(E2eeUser user) {
        return node.e2ee.toDeviceMessages().pending(user.userId(), user.deviceId(), 0, 100);
    }

    @Test
    void aMessageReachesTheAddressedDevice() {
        send(SEND + "m.room_key_request/txn1", messageTo(bob, bob.deviceId(), "hello"), alice.token());
        ToDeviceBatch batch = inbox(bob);
        assertEquals(1, batch.events().size());
        ObjectNode event = batch.events().get(0);
        assertEquals(alice.userId(), event.get("sender").asText());
        assertEquals("m.room_key_request", event.get("type").asText());
        assertEquals("hello", event.get("content").get("text").asText());
        assertEquals(0, inbox(alice).events().size());
    }

    @Test
    void aRetransmittedTransactionIsDeliveredOnce() {
        String body = messageTo(bob, bob.deviceId(), "once");
        send(SEND + "m.test/txn1", body, alice.token());
        send(SEND + "m.test/txn1", body, alice.token());
        send("/_matrix/client/r0/sendToDevice/m.test/txn1", body, alice.token());
        assertEquals(1, inbox(bob).events().size());
        send(SEND + "m.test/txn2", body, alice.token());
        assertEquals(2, inbox(bob).events().size());
        // The same transaction ID under another event type is another request.
        send(SEND + "m.other/txn1", body, alice.token());
        assertEquals(3, inbox(bob).events().size());
    }

    @Test
    void concurrentCopiesOfOneTransactionAreDeliveredOnce() throws Exception {
        String body = messageTo(bob, bob.deviceId(), "race");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<TestNode.Reply>> copies = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                copies.add(pool.submit(() -> send(SEND + "m.test/raced", body, alice.token())));
            }
            for (Future<TestNode.Reply> copy : copies) {
                copy.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, inbox(bob).events().size());
    }

    @Test
    void transactionIdsAreScopedToTheSendingDevice() {
        E2eeUser aliceElsewhere = E2eeUser.loggedIn(node, node.loginToken("alice", "pw"));
        String body = messageTo(bob, bob.deviceId(), "twice");
        send(SEND + "m.test/same", body, alice.token());
        send(SEND + "m.test/same", body, aliceElsewhere.token());
        assertEquals(2, inbox(bob).events().size());
    }

    @Test
    void theWildcardReachesEveryDeviceOfTheUser() {
        E2eeUser bobElsewhere = E2eeUser.loggedIn(node, node.loginToken("bob", "pw2"));
        send(SEND + "m.test/all", messageTo(bob, "*", "everyone"), alice.token());
        assertEquals(1, inbox(bob).events().size());
        assertEquals(1, inbox(bobElsewhere).events().size());
    }

    @Test
    void malformedRequestsSendNothingAndAreNotRemembered() {
        assertEquals("M_NOT_JSON", node.send("PUT", SEND + "m.test/t1", "nope", alice.token()).errcode());
        assertEquals("M_MISSING_PARAM", node.send("PUT", SEND + "m.test/t1", "{}", alice.token()).errcode());
        TestNode.Reply badContent = node.send("PUT", SEND + "m.test/t1",
                "{\"messages\": {\"" + bob.userId() + "\": {\"" + bob.deviceId() + "\": 5}}}", alice.token());
        assertEquals(400, badContent.status(), badContent.body().toString());
        assertEquals(0, inbox(bob).events().size());
        // A refused attempt leaves the transaction ID free for the corrected request.
        send(SEND + "m.test/t1", messageTo(bob, bob.deviceId(), "fixed"), alice.token());
        assertEquals(1, inbox(bob).events().size());
        assertEquals("M_MISSING_TOKEN", node.send("PUT", SEND + "m.test/t2", messageTo(bob, bob.deviceId(), "x"), null)
                .errcode());
    }
}
