// Drives matrix-js-sdk (the SDK of Element Web) against a running node, as a user would, and
// prints one "OK <step>" line per step that worked. Any failure prints "FAIL <step>: <reason>"
// and exits with status 1; a step that hangs is cut by the overall time limit.
//
// Usage: node js-sdk-client.mjs <homeserver URL>
import {
    begin, encryptedExchange, limits, login, main, messageBodies, ok, paginateAll, register, run, sdk, started, waitFor,
} from "./js-sdk-steps.mjs";

const baseUrl = process.argv[2];
const MESSAGES = 100;
limits(30_000, 110_000);

async function roomsAndHistory(alice, bobCredentials) {
    begin("create room");
    const { room_id: roomId } = await alice.createRoom({ name: "History " + run, preset: "public_chat" });
    ok(roomId);

    begin("send messages");
    for (let i = 0; i < MESSAGES; i++) {
        await alice.sendTextMessage(roomId, "message " + i);
    }
    ok(String(MESSAGES));

    begin("display name");
    await alice.setDisplayName("Alice " + run);
    const profile = await alice.getProfileInfo(alice.getUserId());
    if (profile.displayname !== "Alice " + run) {
        throw new Error("profile says " + JSON.stringify(profile));
    }
    ok();

    begin("second client joins");
    const bob = await started(baseUrl, bobCredentials, false);
    await bob.joinRoom(roomId);
    const room = await waitFor(bob, [sdk.ClientEvent.Room, sdk.RoomEvent.Timeline],
        () => bob.getRoom(roomId), "the joined room");
    ok();

    begin("back-pagination");
    const bodies = await paginateAll(bob, room, MESSAGES);
    const expected = Array.from({ length: MESSAGES }, (_, i) => "message " + i);
    if (JSON.stringify(bodies) !== JSON.stringify(expected)) {
        throw new Error(`read ${bodies.length} messages: ${JSON.stringify(bodies.slice(0, 5))}...`);
    }
    ok(String(bodies.length));

    begin("profile seen by the second client");
    const seen = await bob.getProfileInfo(alice.getUserId(), "displayname");
    if (seen.displayname !== "Alice " + run) {
        throw new Error("bob sees " + JSON.stringify(seen));
    }
    ok();
    bob.stopClient();
}

async function encrypted() {
    begin("register encrypting users");
    const carol = await started(baseUrl, await register(baseUrl, "carol" + run), true);
    const dave = await started(baseUrl, await register(baseUrl, "dave" + run), true);
    ok();

    begin("encrypted room");
    const { room_id: roomId } = await carol.createRoom({
        name: "Secret " + run,
        invite: [dave.getUserId()],
        initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
    });
    await waitFor(dave, [sdk.RoomEvent.MyMembership, sdk.ClientEvent.Room],
        () => dave.getRoom(roomId) && dave.getRoom(roomId).getMyMembership() === "invite", "dave's invite");
    await dave.joinRoom(roomId);
    await waitFor(carol, [sdk.RoomStateEvent.Members, sdk.RoomEvent.Timeline],
        () => carol.getRoom(roomId) && carol.getRoom(roomId).getMember(dave.getUserId())?.membership === "join",
        "dave's join seen by carol");
    ok(roomId);

    await encryptedExchange(carol, dave, roomId, "carol", "dave");
    carol.stopClient();
    dave.stopClient();
}

await main(async () => {
    begin("register");
    const alice = await register(baseUrl, "alice" + run);
    const bobRegistered = await register(baseUrl, "bob" + run);
    ok();
    begin("login");
    const bobCredentials = await login(baseUrl, "bob" + run);
    if (bobCredentials.user_id !== bobRegistered.user_id || bobCredentials.device_id === bobRegistered.device_id) {
        throw new Error("login answered " + JSON.stringify(bobCredentials));
    }
    ok();
    const aliceClient = await started(baseUrl, alice, false);
    await roomsAndHistory(aliceClient, bobCredentials);
    aliceClient.stopClient();
    await encrypted();
});
