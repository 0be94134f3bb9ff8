package dev.hyphae.node.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.signing.SigningKey;
import dev.hyphae.node.signing.TestKeys;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The appendix's "Event Signing" test vectors, and event IDs derived from the signed example. */
class EventSigningExampleTest {
    static final String MINIMAL_EVENT = "{\"room_id\":\"!x:domain\",\"sender\":\"@a:domain\",\"origin\":\"domain\","
            + "\"origin_server_ts\":1000000,\"signatures\":{},\"hashes\":{},\"type\":\"X\",\"content\":{},"
            + "\"prev_events\":[],\"auth_events\":[],\"depth\":3,\"unsigned\":{\"age_ts\":1000000}}";
    static final String MINIMAL_EVENT_SIGNED = "{\"auth_events\":[],\"content\":{},\"depth\":3,\"hashes\":{\"sha256\":"
            + "\"5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos\"},\"origin\":\"domain\",\"origin_server_ts\":1000000,"
            + "\"prev_events\":[],\"room_id\":\"!x:domain\",\"sender\":\"@a:domain\",\"signatures\":{\"domain\":"
            + "{\"ed25519:1\":\"KxwGjPSDEtvnFgU00fwFz+l6d2pJM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg\"}},"
            + "\"type\":\"X\",\"unsigned\":{\"age_ts\":1000000}}";

    private final SigningKey key = TestKeys.appendixKey();
    private final EventSigner signer = new EventSigner("domain", key, new SecureRandom());

    @Test
    void minimalEventHashAndSignatureReproduce() {
        Pdu pdu = signer.finish(CanonicalJson.parseObject(MINIMAL_EVENT), RoomVersions.get("10"));
        assertEquals(MINIMAL_EVENT_SIGNED, new String(pdu.canonicalJson(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void redactableEventHashAndSignatureReproduce() {
        ObjectNode event = CanonicalJson.parseObject("{\"content\":{\"body\":\"Here is the message content\"},"
                + "\"event_id\":\"$0:domain\",\"origin\":\"domain\",\"origin_server_ts\":1000000,\"type\":\"m.room.message\","
                + "\"room_id\":\"!r:domain\",\"sender\":\"@u:domain\",\"signatures\":{},\"unsigned\":{\"age_ts\":1000000}}");
        signer.sign(ContentHash.add(event), RoomVersions.get("1"));
        assertEquals("onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g", event.path("hashes").path("sha256").asText());
        assertEquals("Wm+VzmOUOz08Ds+0NTWb1d4CZrVsJSikkeRxh6aCcUwu6pNC78FunoD7KNWzqFn241eYHYMGCA5McEiVPdhzBA",
                event.path("signatures").path("domain").path("ed25519:1").asText());
    }

    @Test
    void eventIdIsTheReferenceHashInEachFormat() {
        // Expected values computed independently with Python's json and hashlib from the spec's algorithm.
        ObjectNode signed = CanonicalJson.parseObject(MINIMAL_EVENT_SIGNED);
        assertEquals("$8yif6p8EqgoSten2BLje9ntKm720NyFLWQv9tn8memc", ReferenceHash.eventId(signed, RoomVersions.get("3")));
        assertEquals("$8yif6p8EqgoSten2BLje9ntKm720NyFLWQv9tn8memc", ReferenceHash.eventId(signed, RoomVersions.get("10")));
        // Version 11 no longer keeps "origin", and the URL-safe alphabet shows.
        assertEquals("$70O_oKlXzFbkfu0KE88USi98DjSWrOELrPj-8tisl8I", ReferenceHash.eventId(signed, RoomVersions.get("11")));
    }

    @Test
    void roomVersion3UsesTheStandardAlphabet() {
        ObjectNode signed = CanonicalJson.parseObject(MINIMAL_EVENT_SIGNED);
        signed.remove("origin");
        assertEquals("$70O/oKlXzFbkfu0KE88USi98DjSWrOELrPj+8tisl8I", ReferenceHash.eventId(signed, RoomVersions.get("3")));
    }

    @Test
    void referenceHashIgnoresSignaturesUnsignedAndRedactableContent() {
        ObjectNode signed = CanonicalJson.parseObject(MINIMAL_EVENT_SIGNED);
        String id = ReferenceHash.eventId(signed, RoomVersions.get("10"));
        signed.putObject("unsigned").put("age", 5);
        signed.with("signatures").putObject("other").put("ed25519:2", "abc");
        signed.with("content").put("body", "changed");
        assertEquals(id, ReferenceHash.eventId(signed, RoomVersions.get("10")));
    }

    @Test
    void contentHashCoversContentButNotSignaturesOrUnsigned() {
        ObjectNode signed = CanonicalJson.parseObject(MINIMAL_EVENT_SIGNED);
        assertTrue(ContentHash.matches(signed));
        signed.putObject("unsigned").put("age", 5);
        assertTrue(ContentHash.matches(signed));
        signed.with("content").put("body", "changed");
        assertEquals(false, ContentHash.matches(signed));
    }

    /** A room version 5 create event from the public federation (jki.re, 2019), with its known event ID. */
    private static final String NETWORK_CREATE_EVENT = "{\"auth_events\": [], \"prev_events\": [], \"type\": \"m.room.create\", "
            + "\"room_id\": \"!uXDCzlYgCTHtiWCkEx:jki.re\", \"sender\": \"@erikj:jki.re\", \"content\": {\"room_version\": \"5\", "
            + "\"predecessor\": {\"room_id\": \"!gdRMqOrTFdOCYHNwOo:half-shot.uk\", \"event_id\": "
            + "\"$LP7ROBc4b+cMc1UE9haIz8q5AK2AIW4eJ90FfKLvyZI\"}, \"creator\": \"@erikj:jki.re\"}, \"depth\": 1, "
            + "\"prev_state\": [], \"state_key\": \"\", \"origin\": \"jki.re\", \"origin_server_ts\": 1560284621137, "
            + "\"hashes\": {\"sha256\": \"IX6zuNiJpJPNf70BLleL3HSCpjKeq9Uhu7uUpyDjBmc\"}, \"signatures\": {\"jki.re\": "
            + "{\"ed25519:auto\": \"O4IyFfF2PPtGp5uaDm8t57dZbdh8vc8Q64LgCwvzYRVItAMI0uisfiAFaxkVT7MRpzh6N2QNN5NMRXZKmgPYDA\"}}, "
            + "\"unsigned\": {\"age\": 1321650}}";

    @Test
    void eventFromTheNetworkGetsItsKnownIdAndHashInVersions3And5() {
        byte[] bytes = NETWORK_CREATE_EVENT.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("$RrGxF28UrHLmoASHndYb9Jb/1SFww2ptmtur9INS438",
                PduFactory.fromFederation(bytes, RoomVersions.get("3")).eventId());
        Pdu v5 = PduFactory.fromFederation(bytes, RoomVersions.get("5"));
        assertEquals("$RrGxF28UrHLmoASHndYb9Jb_1SFww2ptmtur9INS438", v5.eventId());
        assertTrue(PduVerifier.contentHashMatches(v5));
    }

    /** A room version 1 event made by another implementation, with its content hash. */
    private static final String V1_EVENT = "{\"auth_events\":[[\"$oXL79cT7fFxR7dPH:localhost\",{\"sha256\":"
            + "\"abjkiDSg1RkuZrbj2jZoGMlQaaj1Ue3Jhi7I7NlKfXY\"}],[\"$IVUsaSkm1LBAZYYh:localhost\",{\"sha256\":"
            + "\"X7RUj46hM/8sUHNBIFkStbOauPvbDzjSdH4NibYWnko\"}],[\"$VS2QT0EeArZYi8wf:localhost\",{\"sha256\":"
            + "\"k9eM6utkCH8vhLW9/oRsH74jOBS/6RVK42iGDFbylno\"}]],\"content\":{\"name\":\"test3\"},\"depth\":7,"
            + "\"event_id\":\"$yvN1b43rlmcOs5fY:localhost\",\"hashes\":{\"sha256\":\"Oh1mwI1jEqZ3tgJ+V1Dmu5nOEGpCE4RFUqyJv2gQXKs\"},"
            + "\"origin\":\"localhost\",\"origin_server_ts\":1510854416361,\"prev_events\":[[\"$FqI6TVvWpcbcnJ97:localhost\","
            + "{\"sha256\":\"upCsBqUhNUgT2/+zkzg8TbqdQpWWKQnZpGJc6KcbUC4\"}]],\"prev_state\":[],\"room_id\":"
            + "\"!19Mp0U9hjajeIiw1:localhost\",\"sender\":\"@test:localhost\",\"signatures\":{\"localhost\":{\"ed25519:u9kP\":"
            + "\"5IzSuRXkxvbTp0vZhhXYZeOe+619iG3AybJXr7zfNn/4vHz4TH7qSJVQXSaHHvcTcDodAKHnTG1WDulgO5okAQ\"}},"
            + "\"state_key\":\"\",\"type\":\"m.room.name\"}";

    @Test
    void version1EventKeepsItsOwnIdAndItsContentHashMatches() {
        Pdu pdu = PduFactory.fromFederation(V1_EVENT.getBytes(java.nio.charset.StandardCharsets.UTF_8), RoomVersions.get("1"));
        assertEquals("$yvN1b43rlmcOs5fY:localhost", pdu.eventId());
        assertEquals(java.util.List.of("$FqI6TVvWpcbcnJ97:localhost"), pdu.prevEventIds());
        assertEquals(3, pdu.authEventIds().size());
        assertTrue(PduVerifier.contentHashMatches(pdu));
    }
}
