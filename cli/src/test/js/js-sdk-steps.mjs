// What the matrix-js-sdk test clients share: step reporting ("OK <step>" per step that worked,
// "FAIL <step>: <reason>" and exit status 1 on the first failure), waiting on a client's events,
// starting clients, reading a room's messages, and the encrypted exchange between two users.
import * as sdk from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";

export { sdk };

/** Unique names per run: a test may reuse a node's data directory. */
export const run = Math.random().toString(36).slice(2, 8);

let stepTimeoutMs = 30_000;
let step = "start";

/** Quiets the SDK, sets the per-step time limit, and cuts the whole run after totalTimeoutMs. */
export function limits(perStepMs, totalTimeoutMs) {
    logger.setLevel("warn");
    stepTimeoutMs = perStepMs;
    setTimeout(() => fail(new Error("gave up after " + totalTimeoutMs + " ms")), totalTimeoutMs).unref();
}

/** Names the step that a failure from now on is reported under. */
export function begin(name) {
    step = name;
}

/** Reports the current step as done. */
export function ok(detail = "") {
    console.log(`OK ${step}${detail ? " " + detail : ""}`);
}

export function fail(error) {
    console.log(`FAIL ${step}: ${error && error.stack ? error.stack.split("\n").slice(0, 4).join(" | ") : error}`);
    process.exit(1);
}

/** Runs main, then prints DONE and exits 0; any error fails the current step. */
export async function main(body) {
    try {
        await body();
        console.log("DONE");
        process.exit(0);
    } catch (error) {
        fail(error);
    }
}

/**
 * Waits until check() returns a truthy value, re-checking on each of the client's events and every
 * second (some changes, such as a remote join, arrive without an event the listener hears).
 */
export function waitFor(client, events, check, what) {
    return new Promise((resolve, reject) => {
        let interval;
        const done = () => {
            clearTimeout(timer);
            clearInterval(interval);
            events.forEach((e) => client.off(e, listener));
        };
        const timer = setTimeout(() => {
            done();
            reject(new Error("timed out waiting for " + what));
        }, stepTimeoutMs);
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

export async function register(baseUrl, localpart) {
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

export async function login(baseUrl, localpart) {
    const client = sdk.createClient({ baseUrl });
    return client.loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user: localpart },
        password: "secret-" + localpart,
        initial_device_display_name: "js-sdk second device",
    });
}

/** A started client, after its first sync; with crypto, the Rust crypto kept in memory. */
export async function started(baseUrl, credentials, crypto) {
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

export function messageBodies(room) {
    return room
        .getLiveTimeline()
        .getEvents()
        .filter((event) => event.getType() === "m.room.message")
        .map((event) => event.getContent().body);
}

/** Scrolls back until the room shows count messages or its start. */
export async function paginateAll(client, room, count) {
    for (let i = 0; i < 30 && messageBodies(room).length < count; i++) {
        const before = room.getLiveTimeline().getEvents().length;
        await client.scrollback(room, 30);
        if (room.getLiveTimeline().getEvents().length === before && room.oldState.paginationToken === null) {
            break;
        }
    }
    return messageBodies(room);
}

/** Waits until the client decrypts a message of the room whose body is text. */
function decryptedBy(client, roomId, text, what) {
    return waitFor(client, [sdk.MatrixEventEvent.Decrypted, sdk.RoomEvent.Timeline], () => {
        const room = client.getRoom(roomId);
        return room && room.getLiveTimeline().getEvents().find((event) =>
            event.isEncrypted() && !event.isDecryptionFailure() && event.getContent().body === text);
    }, what);
}

/**
 * In an encrypted room both have joined: a message from `first` that `second` decrypts, then a
 * reply the other way. Step names say who sends.
 */
export async function encryptedExchange(first, second, roomId, firstName, secondName) {
    if (!(await first.getCrypto().isEncryptionEnabledInRoom(roomId))) {
        throw new Error(firstName + "'s client does not see the room as encrypted");
    }
    begin(`encrypted message from ${firstName} to ${secondName}`);
    const text = "secret text " + run;
    const decrypted = decryptedBy(second, roomId, text, `${secondName} to decrypt ${firstName}'s message`);
    const { event_id: eventId } = await first.sendTextMessage(roomId, text);
    const event = await decrypted;
    if (event.getId() !== eventId || event.getWireType() !== "m.room.encrypted") {
        throw new Error("decrypted the wrong event: " + event.getId() + " " + event.getWireType());
    }
    ok(eventId);

    begin(`encrypted message from ${secondName} to ${firstName}`);
    const reply = "reply " + run;
    const replyDecrypted = decryptedBy(first, roomId, reply, `${firstName} to decrypt ${secondName}'s reply`);
    await second.sendTextMessage(roomId, reply);
    await replyDecrypted;
    ok();
}
