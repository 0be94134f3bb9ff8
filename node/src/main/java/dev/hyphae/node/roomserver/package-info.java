/**
 * The local room event pipeline: building this server's events (prev events from the forward
 * extremities, auth events from the current state, depth, hashes and signature), checking them
 * against the authorization rules, and storing each accepted event with the state after it, the
 * new forward extremities and membership changes in one store write. On top of it: room creation
 * ({@code /createRoom}), membership operations, room queries and the new-event notifier.
 *
 * <p>Sends to one room are serialised by a per-room lock held until the store has committed, so
 * every event sees the state its predecessor left; different rooms proceed independently.
 * Nothing here speaks HTTP: refusals are {@link dev.hyphae.node.roomserver.RoomServerException}s
 * whose {@link dev.hyphae.node.roomserver.RoomServerException.Kind} the client API maps to an error code.
 */
package dev.hyphae.node.roomserver;
