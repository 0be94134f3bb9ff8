// Drives matrix-js-sdk (the SDK of Element Web, with its Rust crypto) with two users on two nodes
// that federate: alice on node A, bob on node B. Prints one "OK <step>" line per step that worked;
// any failure prints "FAIL <step>: <reason>" and exits with status 1.
//
// Usage: node js-sdk-cross-node.mjs <homeserver URL of A> <homeserver URL of B> <server name of A>
import * as sdk from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";

const [urlA, urlB, serverA] = process.argv.slice(2);
const STEP_TIMEOUT_MS = 60_000;
const TOTAL_TIMEOUT_MS = 280_000;
const MESSAGES = 100;
const run = Math.random().toString(36).slice(2, 8);

logger.setLevel("warn");
let step = "start";
setTimeout(() => fail(new Error("gave up after " + TOTAL_TIMEOUT_MS + " ms")), TOTAL_TIMEOUT_MS).unref();

function fail(error) {
    console.log(`FAIL ${step}: ${error && error.stack ? error.stack.split("\n").slice(0, 4).join(" | ") : error}`);
    process.exit(1);
}

function ok(name, detail = "") {
    console.log(`OK ${name}${detail ? " " + detail : ""}`);
}

/** Waits until check() returns a truthy value, re-checking on each of the client's events and every second. */
function waitFor(client, events, check, what) {
    return new Promise((resolve, reject) => {
        let interval;
        const timer = setTimeout(() => {
            done();
            reject(new Error("timed out waiting for " + what));
        }, STEP_TIMEOUT_MS);
        const done = () => {
            clearTimeout(timer);
            clearInterval(interval);
            events.forEach((e) => client.off(e, listener));
        };
        const listener = () => {
            let value;
            try {
                value = check();
            } catch (e) {
                value = undefined;
            }
            if (value) {
                done();
                resolve(value);
            }
        };
        events.forEach((e) => client.on(e, listener));
        interval = setInterval(listener, 1000);
        listener();
    });
}

async function register(baseUrl, localpart) {
    const client = sdk.createClient({ baseUrl });
    return client.registerRequest({
        username: localpart,
        password: "secret-" + localpart,
        auth: { type: "m.login.dummy" },
        initial_device_display_name: "js-sdk " + localpart,
    });
}

async function login(baseUrl, localpart) {
    const client = sdk.createClient({ baseUrl });
    return client.loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user: localpart },
        password: "secret-" + localpart,
        initial_device_display_name: "js-sdk second device",
    });
}

async function started(baseUrl, credentials, crypto) {
    const client = sdk.createClient({
        baseUrl,
        userId: credentials.user_id,
        accessToken: credentials.access_token,
        deviceId: credentials.device_id,
    });
    if (crypto) {
        await client.initRustCrypto({ useIndexedDB: false });
    }
    const prepared = new Promise((resolve, reject) => {
        client.on(sdk.ClientEvent.Sync, (state, previous, data) => {
            if (state === "PREPARED" || state === "SYNCING") {
                resolve();
            } else if (state === "ERROR") {
                reject(new Error("sync failed: " + (data && data.error)));
            }
        });
    });
    await client.startClient({ initialSyncLimit: 10 });
    await prepared;
    return client;
}

function messageBodies(room) {
    return room
        .getLiveTimeline()
        .getEvents()
        .filter((event) => event.getType() === "m.room.message")
        .map((event) => event.getContent().body);
}

async function paginateAll(client, room, count) {
    for (let i = 0; i < 30 && messageBodies(room).length < count; i++) {
        const before = room.getLiveTimeline().getEvents().length;
        await client.scrollback(room, 30);
        if (room.getLiveTimeline().getEvents().length === before && room.oldState.paginationToken === null) {
            break;
        }
    }
    return messageBodies(room);
}

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
    step = "display names";
    await alice.setDisplayName("Alice " + run);
    await bob.setDisplayName("Bob " + run);
    ok(step);

    step = "room across nodes";
    const roomId = await joinAcross(alice, bob, { name: "Across " + run, preset: "public_chat" });
    ok(step, roomId);

    step = "messages in order on both";
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
    ok(step, String(MESSAGES));

    step = "back-pagination";
    const second = await started(urlB, await login(urlB, bob.getUserId().slice(1).split(":")[0]), false);
    const room = await waitFor(second, [sdk.ClientEvent.Room], () => second.getRoom(roomId), "the room on a new device");
    const paged = await paginateAll(second, room, MESSAGES);
    if (JSON.stringify(paged) !== JSON.stringify(expected)) {
        throw new Error(`paginated ${paged.length} messages: ${JSON.stringify(paged.slice(0, 5))}...`);
    }
    second.stopClient();
    ok(step, String(paged.length));

    step = "typing";
    await bob.sendTyping(roomId, true, 20_000);
    await waitFor(alice, [sdk.RoomMemberEvent.Typing],
        () => alice.getRoom(roomId).getMember(bob.getUserId())?.typing, "alice to see bob typing");
    await bob.sendTyping(roomId, false);
    await waitFor(alice, [sdk.RoomMemberEvent.Typing],
        () => !alice.getRoom(roomId).getMember(bob.getUserId())?.typing, "alice to see bob stop typing");
    ok(step);

    step = "receipts";
    const last = bobRoom.getLiveTimeline().getEvents().filter((e) => e.getType() === "m.room.message").pop();
    await bob.sendReadReceipt(last);
    await waitFor(alice, [sdk.RoomEvent.Receipt], () =>
        alice.getRoom(roomId).getUsersReadUpTo(alice.getRoom(roomId).findEventById(last.getId())).includes(bob.getUserId()),
        "alice to see bob's read receipt");
    ok(step, last.getId());

}

async function profiles(alice, bob) {
    step = "profiles";
    // Each node asks the other for its user's profile (federation query/profile).
    const aliceSeenFromB = await bob.getProfileInfo(alice.getUserId(), "displayname");
    if (aliceSeenFromB.displayname !== "Alice " + run) {
        throw new Error("bob's node gives alice's profile as " + JSON.stringify(aliceSeenFromB));
    }
    const bobSeenFromA = await alice.getProfileInfo(bob.getUserId());
    if (bobSeenFromA.displayname !== "Bob " + run) {
        throw new Error("alice's node gives bob's profile as " + JSON.stringify(bobSeenFromA));
    }
    ok(step);
}

async function encrypted(alice, bob) {
    step = "encrypted room";
    const roomId = await joinAcross(alice, bob, {
        name: "Secret " + run,
        initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
    });
    if (!(await alice.getCrypto().isEncryptionEnabledInRoom(roomId))) {
        throw new Error("alice's client does not see the room as encrypted");
    }
    ok(step, roomId);

    step = "encrypted message from A to B";
    const text = "secret text " + run;
    const decrypted = waitFor(bob, [sdk.MatrixEventEvent.Decrypted, sdk.RoomEvent.Timeline], () => {
        const room = bob.getRoom(roomId);
        return room && room.getLiveTimeline().getEvents().find((event) =>
            event.isEncrypted() && !event.isDecryptionFailure() && event.getContent().body === text);
    }, "bob to decrypt alice's message");
    const { event_id: eventId } = await alice.sendTextMessage(roomId, text);
    const event = await decrypted;
    if (event.getId() !== eventId || event.getWireType() !== "m.room.encrypted") {
        throw new Error("decrypted the wrong event: " + event.getId() + " " + event.getWireType());
    }
    ok(step, eventId);

    step = "encrypted message from B to A";
    const reply = "reply " + run;
    const replyDecrypted = waitFor(alice, [sdk.MatrixEventEvent.Decrypted, sdk.RoomEvent.Timeline], () =>
        alice.getRoom(roomId).getLiveTimeline().getEvents().find((e) =>
            e.isEncrypted() && !e.isDecryptionFailure() && e.getContent().body === reply),
        "alice to decrypt bob's reply");
    await bob.sendTextMessage(roomId, reply);
    await replyDecrypted;
    ok(step);
}

try {
    step = "register";
    const alice = await started(urlA, await register(urlA, "alice" + run), true);
    const bob = await started(urlB, await register(urlB, "bob" + run), true);
    ok(step, alice.getUserId() + " " + bob.getUserId());
    await conversation(alice, bob);
    await encrypted(alice, bob);
    await profiles(alice, bob);
    alice.stopClient();
    bob.stopClient();
    console.log("DONE");
    process.exit(0);
} catch (error) {
    fail(error);
}
