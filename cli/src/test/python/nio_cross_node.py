"""Drives matrix-nio (with libolm) with two users on two federating nodes: alice on node A, bob on
node B, each with an olm store in a temporary directory.

Prints one "OK <step>" line per step that worked; any failure prints "FAIL <step>: <reason>" and
exits with status 1.

Usage: /usr/bin/python3 nio_cross_node.py <homeserver URL of A> <homeserver URL of B> [<step seconds> <total seconds>]

The optional waits are for slower carriers (onion services) than the defaults are made for.
"""

import asyncio
import io
import os
import sys
import tempfile
import uuid

from nio import (
    DownloadResponse,
    JoinResponse,
    MegolmEvent,
    RoomCreateResponse,
    RoomEncryptedFile,
    RoomMessageText,
    RoomSendResponse,
    UploadResponse,
)
from nio.crypto.attachments import decrypt_attachment

import nio_client
from nio_client import expect, new_client, ok, sync_until, timeline_event

# Each step crosses two federating nodes: twice the single-node wait of the shared helpers.
nio_client.STEP_TIMEOUT = 60
TOTAL_TIMEOUT = 230
RUN = uuid.uuid4().hex[:6]
step = "start"


async def main(url_a, url_b):
    global step
    received = {}

    def remember(room, event):
        received.setdefault(room.room_id, []).append(event)

    step = "register and login"
    alice = await new_client(url_a, tempfile.mkdtemp(prefix="nio-store-a-"), "nalice" + RUN)
    bob = await new_client(url_b, tempfile.mkdtemp(prefix="nio-store-b-"), "nbob" + RUN)
    alice.add_event_callback(remember, (RoomMessageText, MegolmEvent, RoomEncryptedFile))
    bob.add_event_callback(remember, (RoomMessageText, MegolmEvent, RoomEncryptedFile))
    ok(step, alice.user_id + " " + bob.user_id)
    try:
        step = "encrypted room"
        created = expect(await alice.room_create(
            name="nio " + RUN,
            invite=[bob.user_id],
            initial_state=[{"type": "m.room.encryption", "state_key": "",
                            "content": {"algorithm": "m.megolm.v1.aes-sha2"}}]), RoomCreateResponse)
        room_id = created.room_id
        await sync_until(bob, lambda: room_id in bob.invited_rooms, "bob's invite")
        expect(await bob.join(room_id), JoinResponse)
        await sync_until(bob, lambda: room_id in bob.rooms and bob.rooms[room_id].encrypted
                         and alice.user_id in bob.rooms[room_id].users, "bob's joined room")
        await sync_until(alice, lambda: room_id in alice.rooms and alice.rooms[room_id].encrypted
                         and bob.user_id in alice.rooms[room_id].users, "bob's join seen by alice")
        ok(step, room_id)

        for (sender, reader, name) in ((alice, bob, "A to B"), (bob, alice, "B to A")):
            step = "encrypted message from " + name
            text = "secret from nio %s %s" % (name, RUN)
            # The sender learns the reader's devices (a key query across the nodes) before sending.
            await sync_until(sender, lambda: list(sender.device_store.active_user_devices(reader.user_id)),
                             "the devices of " + reader.user_id)
            sent = expect(await sender.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": text},
                                                 ignore_unverified_devices=True), RoomSendResponse)
            event = await sync_until(reader, lambda: timeline_event(received, room_id, RoomMessageText,
                                                                    lambda e: e.body == text)
                                     or timeline_event(received, room_id, MegolmEvent,
                                                       lambda e: e.event_id == sent.event_id),
                                     "the reader to receive the message")
            if isinstance(event, MegolmEvent):
                raise RuntimeError("%s could not decrypt %s" % (reader.user_id, event.event_id))
            if event.event_id != sent.event_id or not event.decrypted:
                raise RuntimeError("not the encrypted message: %r" % event)
            ok(step, sent.event_id)

        step = "encrypted file"
        plaintext = os.urandom(40_000) + b"end of file " + RUN.encode()
        upload, keys = await alice.upload(lambda *_: io.BytesIO(plaintext), content_type="application/octet-stream",
                                          filename="secret.bin", encrypt=True, filesize=len(plaintext))
        expect(upload, UploadResponse)
        file_info = dict(keys)
        file_info["url"] = upload.content_uri
        expect(await alice.room_send(room_id, "m.room.message", {
            "msgtype": "m.file", "body": "secret.bin", "file": file_info,
            "info": {"size": len(plaintext), "mimetype": "application/octet-stream"}},
            ignore_unverified_devices=True), RoomSendResponse)
        file_event = await sync_until(bob, lambda: timeline_event(received, room_id, RoomEncryptedFile),
                                      "bob to decrypt the file message")
        if not file_event.url.startswith("mxc://" + alice.user_id.split(":", 1)[1] + "/"):
            raise RuntimeError("the file is not on node A: " + file_event.url)
        # Node B fetches the file from node A over federation.
        download = expect(await bob.download(file_event.url), DownloadResponse)
        if download.body == plaintext:
            raise RuntimeError("the server stored the file in the clear")
        decrypted = decrypt_attachment(download.body, file_event.key["k"], file_event.hashes["sha256"],
                                       file_event.iv)
        if decrypted != plaintext:
            raise RuntimeError("the downloaded file decrypts to other bytes")
        ok(step, str(len(plaintext)))
    finally:
        await alice.close()
        await bob.close()
    print("DONE", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 5:
        nio_client.STEP_TIMEOUT = int(sys.argv[3])
        TOTAL_TIMEOUT = int(sys.argv[4])
    try:
        asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2]), TOTAL_TIMEOUT))
    except BaseException as error:  # report every failure the same way, timeouts included
        print("FAIL %s: %r" % (step, error), flush=True)
        sys.exit(1)
