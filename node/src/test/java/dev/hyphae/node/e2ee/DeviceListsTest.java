package dev.hyphae.node.e2ee;

import dev.hyphae.store.Membership;
import dev.hyphae.store.NewEvent;
import dev.hyphae.store.Room;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceListsTest extends E2eeFixture {
    private static final String ROOM = "!room:example.org";
    private static final String EVE = "@eve:example.org";

    private void setMembership(String userId, String membership) {
        String eventId = "$" + userId.substring(1, userId.indexOf(':')) + "-" + membership;
        store.write(tx -> {
            tx.rooms().insert(new Room(ROOM, "12", 1L));
            tx.events().insert(new NewEvent(eventId, ROOM, "m.room.member", userId, userId, 1, 1L, "{}", false, null,
                    List.of(), List.of()));
            tx.memberships().set(new Membership(ROOM, userId, membership, eventId));
            return null;
        }).join();
    }

    @Test
    void changesBetweenTwoPositionsNameOnlyUsersSharingARoomAndTheRequester() {
        createUser(ALICE, "PHONE");
        createUser(BOB, "DESK");
        createUser(EVE, "EVE");
        setMembership(ALICE, "join");
        setMembership(BOB, "join");
        long start = e2ee.deviceLists().currentPosition();

        uploadDeviceKeys(ALICE, "PHONE", newKey());
        uploadDeviceKeys(BOB, "DESK", newKey());
        uploadDeviceKeys(EVE, "EVE", newKey());
        long end = e2ee.deviceLists().currentPosition();

        assertEquals(List.of(ALICE, BOB), e2ee.deviceLists().changes(ALICE, start, end).changed());
        assertEquals(List.of(EVE), e2ee.deviceLists().changes(EVE, start, end).changed());
        assertEquals(List.of(), e2ee.deviceLists().changes(ALICE, end, end).changed());
    }

    @Test
    void onlyALaterChangeIsReportedAfterAnEarlierPosition() {
        createUser(ALICE, "PHONE", "LAPTOP");
        uploadDeviceKeys(ALICE, "PHONE", newKey());
        long middle = e2ee.deviceLists().currentPosition();
        assertEquals(List.of(), e2ee.deviceLists().changes(ALICE, middle, middle).changed());

        long recorded = e2ee.deviceLists().recordChange(ALICE).join();
        assertTrue(recorded > middle);
        assertEquals(List.of(ALICE), e2ee.deviceLists().changes(ALICE, middle, recorded).changed());
        assertEquals(List.of("device-list " + ALICE + " " + middle, "device-list " + ALICE + " " + recorded), events);
    }

    @Test
    void usersNoLongerSharingARoomAreLeft() {
        createUser(ALICE, "PHONE");
        createUser(BOB, "DESK");
        setMembership(ALICE, "join");
        setMembership(BOB, "join");
        assertEquals(List.of(), e2ee.deviceLists().noLongerSharingRoomWith(ALICE, List.of(BOB)));
        setMembership(BOB, "leave");
        assertEquals(List.of(BOB), e2ee.deviceLists().noLongerSharingRoomWith(ALICE, List.of(BOB, BOB)));
    }

    @Test
    void positionsOutOfOrderAreRefused() {
        throwsWith("M_INVALID_PARAM", () -> e2ee.deviceLists().changes(ALICE, 5, 4));
        throwsWith("M_INVALID_PARAM", () -> e2ee.deviceLists().changes(ALICE, -1, 4));
    }
}
