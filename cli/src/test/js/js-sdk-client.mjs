// Drives matrix-js-sdk (the SDK of Element Web) against a running node, as a user would, and
// prints one "OK <step>" line per step that worked. Any failure prints "FAIL <step>: <reason>"
// and exits with status 1; a step that hangs is cut by the overall time limit.
//
// Usage: node js-sdk-client.mjs <homeserver URL>
import * as sdk from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";

const baseUrl = process.argv[2];
const STEP_TIMEOUT_MS = 30_000;
const TOTAL_TIMEOUT_MS = 110_000;
const MESSAGES = 100;
// Unique names per run: the test may reuse a node's data directory.
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

/** Waits until check() returns a truthy value, re-checking on each emission of the client's events. */
function waitFor(client, events, check, what) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            events.forEach((e) => client.off(e, listener));
            reject(new Error("timed out waiting for " + what));
        }, STEP_TIMEOUT_MS);
        const listener = () => {
            let value;
            try {
                value = check();
            } catch (e) {
                value = undefined;
            }
            if (value) {
                clearTimeout(timer);
                events.forEach((e) => client.off(e, listener));
                resolve(value);
            }
        };
        events.forEach((e) => client.on(e, listener));
        listener();
    });
}

async function register(localpart) {
    const client = sdk.createClient({ baseUrl });
    const response = await client.registerRequest({
        username: localpart,
        password: "secret-" + localpart,
        auth: { type: "m.login.dummy" },
        initial_device_display_name: "js-sdk " + localpart,
    });
    if (!response.access_token || !response.user_id || !response.device_id) {
        throw new Error("register answered without credentials: " + JSON.stringify(response));
    }
    return response;
}

async function login(localpart) {
    const client = sdk.createClient({ baseUrl });
    return client.loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user: localpart },
        password: "secret-" + localpart,
        initial_device_display_name: "js-sdk second device",
    });
}

async function started(credentials, crypto) {
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

async function roomsAndHistory(alice, bobCredentials) {
    step = "create room";
    const { room_id: roomId } = await alice.createRoom({ name: "History " + run, preset: "public_chat" });
    ok(step, roomId);

    step = "send messages";
    for (let i = 0; i < MESSAGES; i++) {
        await alice.sendTextMessage(roomId, "message " + i);
    }
    ok(step, String(MESSAGES));

    step = "display name";
    await alice.setDisplayName("Alice " + run);
    const profile = await alice.getProfileInfo(alice.getUserId());
    if (profile.displayname !== "Alice " + run) {
        throw new Error("profile says " + JSON.stringify(profile));
    }
    ok(step);

    step = "second client joins";
    const bob = await started(bobCredentials, false);
    await bob.joinRoom(roomId);
    const room = await waitFor(bob, [sdk.ClientEvent.Room, sdk.RoomEvent.Timeline],
        () => bob.getRoom(roomId), "the joined room");
    ok(step);

    step = "back-pagination";
    for (let i = 0; i < 20 && messageBodies(room).length < MESSAGES; i++) {
        const before = room.getLiveTimeline().getEvents().length;
        await bob.scrollback(room, 30);
        if (room.getLiveTimeline().getEvents().length === before && room.oldState.paginationToken === null) {
            break;
        }
    }
    const bodies = messageBodies(room);
    const expected = Array.from({ length: MESSAGES }, (_, i) => "message " + i);
    if (JSON.stringify(bodies) !== JSON.stringify(expected)) {
        throw new Error(`read ${bodies.length} messages: ${JSON.stringify(bodies.slice(0, 5))}...`);
    }
    ok(step, String(bodies.length));

    step = "profile seen by the second client";
    const seen = await bob.getProfileInfo(alice.getUserId(), "displayname");
    if (seen.displayname !== "Alice " + run) {
        throw new Error("bob sees " + JSON.stringify(seen));
    }
    ok(step);
    bob.stopClient();
}

async function encryptedExchange() {
    step = "register encrypting users";
    const carol = await started(await register("carol" + run), true);
    const dave = await started(await register("dave" + run), true);
    ok(step);

    step = "encrypted room";
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
    if (!(await carol.getCrypto().isEncryptionEnabledInRoom(roomId))) {
        throw new Error("carol's client does not see the room as encrypted");
    }
    ok(step, roomId);

    step = "encrypted message";
    const text = "secret text " + run;
    const decrypted = waitFor(dave, [sdk.MatrixEventEvent.Decrypted, sdk.RoomEvent.Timeline], () => {
        const room = dave.getRoom(roomId);
        return room && room.getLiveTimeline().getEvents().find((event) =>
            event.isEncrypted() && !event.isDecryptionFailure() && event.getContent().body === text);
    }, "dave to decrypt carol's message");
    const { event_id: eventId } = await carol.sendTextMessage(roomId, text);
    const event = await decrypted;
    if (event.getId() !== eventId || event.getWireType() !== "m.room.encrypted") {
        throw new Error("decrypted the wrong event: " + event.getId() + " " + event.getWireType());
    }
    ok(step, eventId);

    step = "encrypted reply";
    const reply = "reply " + run;
    const replyDecrypted = waitFor(carol, [sdk.MatrixEventEvent.Decrypted, sdk.RoomEvent.Timeline], () =>
        carol.getRoom(roomId).getLiveTimeline().getEvents().find((e) =>
            e.isEncrypted() && !e.isDecryptionFailure() && e.getContent().body === reply),
        "carol to decrypt dave's reply");
    await dave.sendTextMessage(roomId, reply);
    await replyDecrypted;
    ok(step);
    carol.stopClient();
    dave.stopClient();
}

try {
    step = "register";
    const alice = await register("alice" + run);
    const bobRegistered = await register("bob" + run);
    ok(step);
    step = "login";
    const bobCredentials = await login("bob" + run);
    if (bobCredentials.user_id !== bobRegistered.user_id || bobCredentials.device_id === bobRegistered.device_id) {
        throw new Error("login answered " + JSON.stringify(bobCredentials));
    }
    ok(step);
    const aliceClient = await started(alice, false);
    await roomsAndHistory(aliceClient, bobCredentials);
    aliceClient.stopClient();
    await encryptedExchange();
    console.log("DONE");
    process.exit(0);
} catch (error) {
    fail(error);
}
