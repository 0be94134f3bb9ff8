package dev.hyphae.node.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.json.CanonicalJson;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class TransactionPartsTest {
    private static final ToIntFunction<FederationRequest> SIZE = request -> CanonicalJson.encode(request.body()).length;

    private static FederationRequest transaction(int pdus, int padding, List<ObjectNode> edus) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("origin", "a.onion");
        body.put("origin_server_ts", 1);
        for (int n = 0; n < pdus; n++) {
            body.withArray("pdus").addObject().put("n", n).put("pad", "x".repeat(padding));
        }
        edus.forEach(body.withArray("edus")::add);
        return FederationRequest.put("b.onion", "/_matrix/federation/v1/send/t1", body);
    }

    private static ObjectNode edu(String type, String id) {
        ObjectNode edu = JsonNodeFactory.instance.objectNode().put("edu_type", type);
        edu.putObject("content").put("id", id);
        return edu;
    }

    @Test
    void aTransactionThatFitsIsKeptWhole() {
        FederationRequest small = transaction(3, 10, List.of());
        List<FederationRequest> parts = TransactionParts.cut(small, 10_000, SIZE).parts();
        assertEquals(1, parts.size());
        assertSame(small, parts.get(0));
    }

    @Test
    void aLargeTransactionIsCutIntoFittingPartsWithToDeviceFirstAndItemsInOrder() {
        FederationRequest large = transaction(20, 1_000, List.of(edu("m.typing", "typing"),
                edu("m.direct_to_device", "keys")));

        List<FederationRequest> parts = TransactionParts.cut(large, 5_000, SIZE).parts();

        assertTrue(parts.size() > 1);
        List<String> items = new ArrayList<>();
        for (FederationRequest part : parts) {
            assertTrue(SIZE.applyAsInt(part) <= 5_000);
            assertTrue(part.uri().startsWith("/_matrix/federation/v1/send/t1."), part.uri());
            assertEquals("a.onion", part.body().path("origin").asText());
            for (JsonNode edu : part.body().path("edus")) {
                if (edu.path("edu_type").asText().equals("m.direct_to_device")) {
                    items.add(edu.path("content").path("id").asText());
                }
            }
            part.body().path("pdus").forEach(pdu -> items.add("pdu " + pdu.path("n").asInt()));
            for (JsonNode edu : part.body().path("edus")) {
                if (!edu.path("edu_type").asText().equals("m.direct_to_device")) {
                    items.add(edu.path("content").path("id").asText());
                }
            }
        }
        List<String> expected = new ArrayList<>(List.of("keys"));
        for (int n = 0; n < 20; n++) {
            expected.add("pdu " + n);
        }
        expected.add("typing");
        assertEquals(expected, items);
        assertEquals(parts.size(), new HashSet<>(parts.stream().map(FederationRequest::uri).toList()).size());
    }

    @Test
    void aSingleItemLargerThanTheLimitIsLeftOutWithAReasonAndTheOthersStillGoInOrder() {
        ObjectNode hugeEdu = edu("m.direct_to_device", "x".repeat(6_000));
        FederationRequest mixed = transaction(3, 1_000, List.of(hugeEdu, edu("m.typing", "typing")));

        TransactionParts.Cut cut = TransactionParts.cut(mixed, 5_000, SIZE);

        assertEquals(1, cut.leftOut().size());
        assertTrue(cut.leftOut().get(0).contains("m.direct_to_device EDU"), cut.leftOut().get(0));
        List<String> items = new ArrayList<>();
        for (FederationRequest part : cut.parts()) {
            assertTrue(SIZE.applyAsInt(part) <= 5_000);
            part.body().path("pdus").forEach(pdu -> items.add("pdu " + pdu.path("n").asInt()));
            part.body().path("edus").forEach(edu -> items.add(edu.path("edu_type").asText()));
        }
        assertEquals(List.of("pdu 0", "pdu 1", "pdu 2", "m.typing"), items);
    }

    @Test
    void aTransactionOfOnlyATooLargeItemHasNoParts() {
        TransactionParts.Cut cut = TransactionParts.cut(transaction(1, 6_000, List.of()), 5_000, SIZE);
        assertEquals(List.of(), cut.parts());
        assertTrue(cut.leftOut().get(0).contains("PDU"), cut.leftOut().get(0));
    }
}
