// Drives matrix-js-sdk (the SDK of Element Web, with its Rust crypto) with two users on two nodes
// that federate: alice on node A, bob on node B. Prints one "OK <step>" line per step that worked;
// any failure prints "FAIL <step>: <reason>" and exits with status 1.
//
// Usage: node js-sdk-cross-node.mjs <homeserver URL of A> <homeserver URL of B> <server name of A>
import {
    begin, encryptedExchange, limits, login, main, messageBodies, ok, paginateAll, register, run, sdk, started, waitFor,
} from "./js-sdk-steps.mjs";

const [urlA, urlB, serverA] = process.argv.slice(2);
const MESSAGES = 100;
limits(60_000, 280_000);

async function joinAcross(alice, bob, options) {
    const { room_id: roomId } = await alice.createRoom(options);
    await alice.invite(roomId, bob.getUserId());
    await waitFor(bob, [sdk.RoomEvent.MyMembership, sdk.ClientEvent.Room],
        () => bob.getRoom(roomId) && bob.getRoom(roomId).getMyMembership() === "invite", "bob's invite");
    await bob.joinRoom(roomId, { viaServers: [serverA] });
    await waitFor(alice, [sdk.RoomStateEvent.Members, sdk.RoomEvent.Timeline],
        () => alice.getRoom(roomId) && alice.getRoom(roomId).getMember(bob.getUserId())?.membership === "join",
        "bob's join seen by alice");
    await waitFor(bob, [sdk.RoomEvent.MyMembership, sdk.ClientEvent.Room],
        () => bob.getRoom(roomId) && bob.getRoom(roomId).getMyMembership() === "join", "bob's joined room");
    return roomId;
}

async function conversation(alice, bob) {
    begin("display names");
    await alice.setDisplayName("Alice " + run);
    await bob.setDisplayName("Bob " + run);
    ok();

    begin("room across nodes");
    const roomId = await joinAcross(alice, bob, { name: "Across " + run, preset: "public_chat" });
    ok(roomId);

    begin("messages in order on both");
    const expected = Array.from({ length: MESSAGES }, (_, i) => "message " + i);
    for (let i = 0; i < MESSAGES; i++) {
        await alice.sendTextMessage(roomId, "message " + i);
    }
    const bobRoom = bob.getRoom(roomId);
    await waitFor(bob, [sdk.RoomEvent.Timeline], () => messageBodies(bobRoom).includes("message " + (MESSAGES - 1)),
        "the last message on bob's side");
    const onA = await paginateAll(alice, alice.getRoom(roomId), MESSAGES);
    const onB = await paginateAll(bob, bobRoom, MESSAGES);
    for (const [side, bodies] of [["A", onA], ["B", onB]]) {
        if (JSON.stringify(bodies) !== JSON.stringify(expected)) {
            throw new Error(`node ${side} has ${bodies.length} messages: ${JSON.stringify(bodies.slice(0, 5))}...`);
        }
    }
    ok(String(MESSAGES));

    begin("back-pagination");
    const second = await started(urlB, await login(urlB, bob.getUserId().slice(1).split(":")[0]), false);
    const room = await waitFor(second, [sdk.ClientEvent.Room], () => second.getRoom(roomId), "the room on a new device");
    const paged = await paginateAll(second, room, MESSAGES);
    if (JSON.stringify(paged) !== JSON.stringify(expected)) {
        throw new Error(`paginated ${paged.length} messages: ${JSON.stringify(paged.slice(0, 5))}...`);
    }
    second.stopClient();
    ok(String(paged.length));

    begin("typing");
    await bob.sendTyping(roomId, true, 20_000);
    await waitFor(alice, [sdk.RoomMemberEvent.Typing],
        () => alice.getRoom(roomId).getMember(bob.getUserId())?.typing, "alice to see bob typing");
    await bob.sendTyping(roomId, false);
    await waitFor(alice, [sdk.RoomMemberEvent.Typing],
        () => !alice.getRoom(roomId).getMember(bob.getUserId())?.typing, "alice to see bob stop typing");
    ok();

    begin("receipts");
    const last = bobRoom.getLiveTimeline().getEvents().filter((e) => e.getType() === "m.room.message").pop();
    await bob.sendReadReceipt(last);
    await waitFor(alice, [sdk.RoomEvent.Receipt], () =>
        alice.getRoom(roomId).getUsersReadUpTo(alice.getRoom(roomId).findEventById(last.getId())).includes(bob.getUserId()),
        "alice to see bob's read receipt");
    ok(last.getId());
}

async function profiles(alice, bob) {
    begin("profiles");
    // Each node asks the other for its user's profile (federation query/profile).
    const aliceSeenFromB = await bob.getProfileInfo(alice.getUserId(), "displayname");
    if (aliceSeenFromB.displayname !== "Alice " + run) {
        throw new Error("bob's node gives alice's profile as " + JSON.stringify(aliceSeenFromB));
    }
    const bobSeenFromA = await alice.getProfileInfo(bob.getUserId());
    if (bobSeenFromA.displayname !== "Bob " + run) {
        throw new Error("alice's node gives bob's profile as " + JSON.stringify(bobSeenFromA));
    }
    ok();
}

async function encrypted(alice, bob) {
    begin("encrypted room");
    const roomId = await joinAcross(alice, bob, {
        name: "Secret " + run,
        initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
    });
    ok(roomId);
    await encryptedExchange(alice, bob, roomId, "A", "B");
}

await main(async () => {
    begin("register");
    const alice = await started(urlA, await register(urlA, "alice" + run), true);
    const bob = await started(urlB, await register(urlB, "bob" + run), true);
    ok(alice.getUserId() + " " + bob.getUserId());
    await conversation(alice, bob);
    await encrypted(alice, bob);
    await profiles(alice, bob);
    alice.stopClient();
    bob.stopClient();
});
